package io.sluice.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpLiteralsTest {

  @Test
  void ipv4IsAStrictDottedQuad() {
    assertThat(IpLiterals.isIpLiteral("127.0.0.1")).isTrue();
    assertThat(IpLiterals.isIpLiteral("0.0.0.0")).isTrue();
    assertThat(IpLiterals.isIpLiteral("255.255.255.255")).isTrue();
    assertThat(IpLiterals.isIpLiteral("256.0.0.1")).isFalse();
    assertThat(IpLiterals.isIpLiteral("1.2.3")).isFalse();
    assertThat(IpLiterals.isIpLiteral("1.2.3.4.5")).isFalse();
    assertThat(IpLiterals.isIpLiteral("1.2.3.")).isFalse();
    assertThat(IpLiterals.isIpLiteral("1..3.4")).isFalse();
    assertThat(IpLiterals.isIpLiteral("0001.2.3.4")).isFalse();
    assertThat(IpLiterals.isIpLiteral("")).isFalse();
    assertThat(IpLiterals.isIpLiteral(null)).isFalse();
  }

  @Test
  void namesAreNotLiteralsAndAreNeverResolved() {
    assertThat(IpLiterals.isIpLiteral("localhost")).isFalse();
    assertThat(IpLiterals.isIpLiteral("helloworld_v1")).isFalse();
    assertThat(IpLiterals.isIpLiteral("10.0.0.1.nip.io")).isFalse();
  }

  @Test
  void ipv6TextForms() {
    assertThat(IpLiterals.isIpLiteral("::")).isTrue();
    assertThat(IpLiterals.isIpLiteral("::1")).isTrue();
    assertThat(IpLiterals.isIpLiteral("fd00::1")).isTrue();
    assertThat(IpLiterals.isIpLiteral("1::")).isTrue();
    assertThat(IpLiterals.isIpLiteral("2001:db8:0:0:0:0:2:1")).isTrue();
    assertThat(IpLiterals.isIpLiteral("::ffff:192.0.2.1")).isTrue();
    assertThat(IpLiterals.isIpLiteral("0:0:0:0:0:ffff:192.0.2.1")).isTrue();
    assertThat(IpLiterals.isIpLiteral("2001:db8::2::1")).isFalse();
    assertThat(IpLiterals.isIpLiteral("2001:db8:0:0:0:0:2")).isFalse();
    assertThat(IpLiterals.isIpLiteral("1:2:3:4:5:6:7:8:9")).isFalse();
    assertThat(IpLiterals.isIpLiteral("12345::1")).isFalse();
    assertThat(IpLiterals.isIpLiteral("g::1")).isFalse();
    assertThat(IpLiterals.isIpLiteral(":1")).isFalse();
    assertThat(IpLiterals.isIpLiteral("1:")).isFalse();
    assertThat(IpLiterals.isIpLiteral("[::1]")).as("Envoy wants no brackets in socket_address").isFalse();
    assertThat(IpLiterals.isIpLiteral("::ffff:1.2.3")).isFalse();
  }
}
