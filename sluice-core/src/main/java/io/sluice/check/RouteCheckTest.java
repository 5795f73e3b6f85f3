package io.sluice.check;

/**
 * One test of a test file ({@code ValidationItem}): a name, the request, and what to check. Input
 * and expectations are null only in a file that fails validation.
 */
public record RouteCheckTest(String name, TestInput input, TestExpectations expect) {}
