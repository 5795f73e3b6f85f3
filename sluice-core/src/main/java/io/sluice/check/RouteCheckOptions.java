package io.sluice.check;

import java.nio.file.Path;

/**
 * How a route check runs; the flags of Envoy's {@code router_check_tool}.
 *
 * @param configPath the route configuration ({@code -c})
 * @param testPath the test file ({@code -t})
 * @param details print every test ({@code -d})
 * @param onlyShowFailures print (and record with {@code -o}) only failing tests
 * @param failUnder the minimum coverage in percent, as a C++ {@code float}; 0 disables it ({@code -f})
 * @param comprehensiveCoverage measure coverage over every checked field ({@code --covall})
 * @param detailedCoverage list the routes no test reached ({@code --detailed-coverage})
 * @param disableDeprecationCheck skip the deprecated-field scan of the configuration
 * @param outputPath where to write the binary results ({@code -o}), or null
 */
public record RouteCheckOptions(
    Path configPath,
    Path testPath,
    boolean details,
    boolean onlyShowFailures,
    float failUnder,
    boolean comprehensiveCoverage,
    boolean detailedCoverage,
    boolean disableDeprecationCheck,
    Path outputPath) {}
