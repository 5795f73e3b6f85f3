package io.sluice.resource;

import java.util.List;

/** Resources were rejected; carries every error, one line each, each naming resource and field. */
public final class ResourceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> errors;

  public ResourceException(List<String> errors) {
    super(String.join("\n", errors), null, false, false);
    this.errors = List.copyOf(errors);
  }

  /** Every error, one line each. */
  public List<String> errors() {
    return errors;
  }
}
