package io.sluice.resource;

import io.sluice.cluster.IpLiterals;
import io.sluice.resource.EndpointSpec.Address;
import io.sluice.resource.EndpointSpec.Port;
import io.sluice.resource.EndpointSpec.Subset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads and validates a discovery.k8s.io/v1 EndpointSlice or a core/v1 Endpoints object. */
final class EndpointReader {
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  private static final List<String> ADDRESS_TYPES = List.of("IPv4", "IPv6", "FQDN");
  private static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");

  private EndpointReader() {}

  /** An EndpointSlice: {@code top} is the whole document (its fields are top-level). */
  static EndpointSpec readSlice(FieldReader top, Map<String, String> labels) {
    FieldErrors errors = top.errors();
    boolean typeGiven = top.has("addressType");
    String type = top.string("addressType");
    if (!typeGiven) {
      top.error("addressType", "required");
    } else if (type != null && !ADDRESS_TYPES.contains(type)) {
      top.error("addressType", HttpRouteReader.unsupportedValue(type, ADDRESS_TYPES));
      type = null;
    }
    List<Address> addresses = new ArrayList<>();
    if (!top.has("endpoints")) {
      top.error("endpoints", "required");
    }
    for (FieldReader e : top.objects("endpoints", 1000)) {
      if (e == null) {
        continue;
      }
      List<String> as = e.strings("addresses", 100);
      if (as.isEmpty()) {
        e.error("addresses", "must have at least 1 item");
      }
      for (int i = 0; i < as.size(); i++) {
        checkAddress(errors, e.pathOf("addresses") + "[" + i + "]", as.get(i), type);
      }
      boolean ready = true;
      FieldReader c = e.object("conditions");
      if (c != null) {
        Boolean r = c.bool("ready");
        c.bool("serving");
        c.bool("terminating");
        c.finish();
        ready = r == null || r;
      }
      e.string("hostname");
      e.string("nodeName");
      e.string("zone");
      e.skip("targetRef", "hints", "deprecatedTopology");
      e.finish();
      if (!as.isEmpty()) {
        addresses.add(new Address(as.get(0), ready));
      }
    }
    List<Port> ports = new ArrayList<>();
    for (FieldReader p : top.objects("ports", 100)) {
      if (p == null) {
        continue;
      }
      String name = p.string("name");
      if (name != null && !name.isEmpty()) {
        ApiFormats.portName(errors, p.pathOf("name"), name);
      }
      Long port = p.integer("port", 0, 65535);
      String protocol = protocol(p);
      p.string("appProtocol");
      p.finish();
      ports.add(new Port(name == null ? "" : name, port == null ? null : port.intValue(), protocol));
    }
    top.finish();
    String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
    return new EndpointSpec(service, "FQDN".equals(type), List.of(new Subset(addresses, ports)));
  }

  /** An Endpoints object: {@code top} is the whole document ({@code subsets} is top-level). */
  static EndpointSpec readEndpoints(FieldReader top, String name) {
    FieldErrors errors = top.errors();
    List<Subset> subsets = new ArrayList<>();
    for (FieldReader s : top.objects("subsets", Integer.MAX_VALUE)) {
      if (s == null) {
        continue;
      }
      List<Address> addresses = new ArrayList<>();
      for (String field : new String[] {"addresses", "notReadyAddresses"}) {
        for (FieldReader a : s.objects(field, Integer.MAX_VALUE)) {
          if (a == null) {
            continue;
          }
          String ip = a.requiredString("ip");
          if (ip != null) {
            checkAddress(errors, a.pathOf("ip"), ip, null);
            addresses.add(new Address(ip, field.equals("addresses")));
          }
          a.string("hostname");
          a.string("nodeName");
          a.skip("targetRef");
          a.finish();
        }
      }
      List<Port> ports = new ArrayList<>();
      for (FieldReader p : s.objects("ports", Integer.MAX_VALUE)) {
        if (p == null) {
          continue;
        }
        String portName = p.string("name");
        if (portName != null && !portName.isEmpty()) {
          ApiFormats.portName(errors, p.pathOf("name"), portName);
        }
        boolean given = p.has("port");
        Long port = p.integer("port", 1, 65535);
        if (!given) {
          p.error("port", "required");
        }
        String protocol = protocol(p);
        p.string("appProtocol");
        p.finish();
        if (port != null) {
          ports.add(new Port(portName == null ? "" : portName, port.intValue(), protocol));
        }
      }
      s.finish();
      subsets.add(new Subset(addresses, ports));
    }
    top.finish();
    return new EndpointSpec(name, false, subsets);
  }

  private static String protocol(FieldReader p) {
    String protocol = p.string("protocol");
    if (protocol == null) {
      return "TCP";
    }
    if (!PROTOCOLS.contains(protocol)) {
      p.error("protocol", HttpRouteReader.unsupportedValue(protocol, PROTOCOLS));
    }
    return protocol;
  }

  private static void checkAddress(FieldErrors errors, String path, String address, String type) {
    boolean ok;
    String what;
    if ("FQDN".equals(type)) {
      ok = !address.isEmpty() && address.length() <= 253;
      what = "a DNS name";
    } else if ("IPv6".equals(type)) {
      ok = IpLiterals.isIpv6(address);
      what = "an IPv6 address";
    } else if ("IPv4".equals(type)) {
      ok = IpLiterals.isIpv4(address);
      what = "an IPv4 address";
    } else {
      ok = IpLiterals.isIpLiteral(address);
      what = "an IP address";
    }
    if (!ok) {
      errors.error(path, "invalid address \"" + address + "\": must be " + what);
    }
  }
}
