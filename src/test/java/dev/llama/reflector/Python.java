package dev.llama.reflector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * python3 as an independent observer and as a spoofer: it reads the TOS byte of replies with
 * IP_RECVTOS, which Java cannot, and sends UDP with a forged source through a raw socket (root only).
 */
final class Python {
    private static final String TOS_OBSERVER = """
            import socket, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(('127.0.0.1', 0))
            s.setsockopt(socket.IPPROTO_IP, 13, 1)  # IP_RECVTOS
            s.settimeout(2)
            dst = ('127.0.0.1', int(sys.argv[1]))
            for h in sys.argv[2:]:
                data = bytes.fromhex(h)
                s.sendto(data, dst)
                try:
                    d, anc, _, _ = s.recvmsg(65535, socket.CMSG_SPACE(4))
                except socket.timeout:
                    print('timeout', flush=True)
                    continue
                tos = [c[2][0] for c in anc if c[0] == socket.IPPROTO_IP and c[1] == socket.IP_TOS]
                print(tos[0] if tos and d == data else 'bad', flush=True)
            """;

    private static final String SPOOF = """
            import socket, struct, sys
            src, sport, dst, dport = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
            payload = bytes.fromhex(sys.argv[5])
            udp = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload  # checksum 0: none (IPv4)
            ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                             socket.inet_aton(src), socket.inet_aton(dst))
            r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
            r.sendto(ip + udp, (dst, 0))
            """;

    private Python() {
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Sends each probe from one socket to 127.0.0.1:{@code port}; per probe, the reply's TOS or "timeout". */
    static List<String> replyTos(int port, List<byte[]> probes) throws IOException, InterruptedException {
        var args = new ArrayList<>(List.of("python3", "-c", TOS_OBSERVER, Integer.toString(port)));
        probes.forEach(p -> args.add(HexFormat.of().formatHex(p)));
        return run(args);
    }

    /** One UDP datagram from the forged {@code srcIp:srcPort} to {@code dstIp:dstPort}. */
    static void spoof(String srcIp, int srcPort, String dstIp, int dstPort, byte[] payload) throws IOException, InterruptedException {
        run(List.of("python3", "-c", SPOOF, srcIp, Integer.toString(srcPort), dstIp, Integer.toString(dstPort),
                HexFormat.of().formatHex(payload)));
    }

    private static List<String> run(List<String> command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("python3 failed: " + out);
        }
        return out.lines().toList();
    }
}
