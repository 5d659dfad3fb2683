package dev.llama.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** HTTP over a plain TCP socket, byte for byte as a test writes it, for requests no well-behaved client sends. */
final class RawHttp {
    private RawHttp() {
    }

    /** Sends {@code request} and reads until the server closes the connection (or 5 s pass); the whole answer as text. */
    static String exchange(int port, String request) {
        return exchange(port, request, true);
    }

    /** Sends {@code request} and reads one whole response (or until the server closes, or 5 s pass). */
    static String first(int port, String request) {
        return exchange(port, request, false);
    }

    private static String exchange(int port, String request, boolean untilClose) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            var out = new ByteArrayOutputStream();
            var in = socket.getInputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    if (!untilClose && complete(out.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                // the server kept the connection open: what came so far is the answer
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean complete(String answer) {
        int head = answer.indexOf("\r\n\r\n");
        if (head < 0) {
            return false;
        }
        var m = java.util.regex.Pattern.compile("(?im)^content-length: *(\\d+)\r$").matcher(answer.substring(0, head + 2));
        if (m.find()) {
            return answer.length() >= head + 4 + Integer.parseInt(m.group(1));
        }
        return answer.endsWith("\r\n0\r\n\r\n");
    }

    /** A GET with {@code Host: 127.0.0.1} and {@code Connection: close}, plus {@code headers} (each ending in CRLF). */
    static String get(int port, String target, String headers) {
        return exchange(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers + "\r\n");
    }

    /** The status code of the first response in {@code answer}, or -1 when there is none. */
    static int status(String answer) {
        if (!answer.matches("(?s)HTTP/1\\.[01] \\d{3}.*")) {
            return -1;
        }
        return Integer.parseInt(answer.substring(9, 12));
    }

    /** How many responses {@code answer} holds. */
    static int responses(String answer) {
        return answer.split("HTTP/1\\.[01] \\d{3} ", -1).length - 1;
    }
}
