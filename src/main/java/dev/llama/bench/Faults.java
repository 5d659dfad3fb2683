package dev.llama.bench;

/** The faults the localizer benchmark injects into a {@link FleetSim}. */
public final class Faults {
    private Faults() {
    }

    /** A host that is down: its collector reports nothing and nothing it reflects comes back. */
    public static FleetSim.Fault deadHost(int host) {
        return new FleetSim.Fault() {
            @Override
            public double survival(FleetSim fleet, int src, int dst, int fwd, int rev) {
                return dst == host || src == host ? 0 : 1;
            }

            @Override
            public boolean silences(int src) {
                return src == host;
            }
        };
    }

    /** A host's NIC dropping {@code loss} of what passes it, both ways, so a round trip crosses it twice. */
    public static FleetSim.Fault hostNic(int host, double loss) {
        return (fleet, src, dst, fwd, rev) -> src == host || dst == host ? Math.pow(1 - loss, 2) : 1;
    }

    /** A rack switch black-holing everything on ECMP member {@code member} of its uplinks, either direction. */
    public static FleetSim.Fault rackEcmp(String rack, int member) {
        return (fleet, src, dst, fwd, rev) -> {
            boolean in = fleet.rack(src).equals(rack);
            boolean out = fleet.rack(dst).equals(rack);
            return in != out && (fwd == member || rev == member) ? 0 : 1;
        };
    }

    /** A pod's uplink dropping {@code loss} of what crosses it; a round trip out of the pod crosses it twice. */
    public static FleetSim.Fault podUplink(String pod, double loss) {
        return (fleet, src, dst, fwd, rev) -> fleet.pod(src).equals(pod) != fleet.pod(dst).equals(pod) ? Math.pow(1 - loss, 2) : 1;
    }
}
