package io.sluice.cli;

/** Prints what the admin interface answered to an apply or a delete. */
final class ResourceAnswers {
  private ResourceAnswers() {}

  /**
   * Prints the lines of a 200 on standard output and returns 0; prints every error of a
   * rejection on standard error and returns 1.
   */
  static int print(AdminClient.Answer a) {
    if (a.status() == 200) {
      System.out.print(a.body());
      return 0;
    }
    if (a.status() == 422) {
      // Every error, one per line, each naming its resource and field.
      System.err.print(a.body().endsWith("\n") ? a.body() : a.body() + "\n");
      return 1;
    }
    if (a.status() == 404 && a.body().startsWith("invalid path")) {
      System.err.println("error: the admin interface has no resource API (is it an older Sluice, or Envoy?)");
      return 1;
    }
    String body = a.body().strip();
    if (body.isEmpty()) {
      body = "the admin interface answered " + a.status();
    }
    System.err.println(body.startsWith("error: ") ? body : "error: " + body);
    return 1;
  }
}
