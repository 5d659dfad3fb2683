package dev.llama.scraper;

import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds the lines an InfluxDB 1.x refusal names, so that they go to the dead-letter file and the rest
 * is sent again in one request instead of halving the batch down to each refused line. It knows two
 * messages: {@code unable to parse 'LINE': reason} (one per unparsable line) and {@code field type
 * conflict: input field "F" on measurement "M" is type T, ... dropped=N}, trusted only when exactly N
 * lines carry field F of type T in measurement M. Anything else names nothing, and the sender halves.
 */
final class RefusedLines {
    private static final String UNPARSABLE = "unable to parse '";
    private static final Pattern CONFLICT = Pattern.compile(
            "field type conflict: input field \"((?:[^\"\\\\]|\\\\.)*)\" on measurement \"((?:[^\"\\\\]|\\\\.)*)\" is type (\\w+)"
                    + ".*?dropped=(\\d+)", Pattern.DOTALL);

    private RefusedLines() {
    }

    /** The indexes of the lines the error names; empty when it names none for sure. */
    static BitSet find(String error, List<String> lines) {
        var named = new BitSet(lines.size());
        if (error.contains(UNPARSABLE)) {
            var texts = new HashSet<String>();
            for (String part : error.split(Pattern.quote(UNPARSABLE))) {
                int end = part.lastIndexOf("': ");
                if (end >= 0) {
                    texts.add(part.substring(0, end));
                }
            }
            for (int i = 0; i < lines.size(); i++) {
                if (texts.contains(lines.get(i))) {
                    named.set(i);
                }
            }
            return named;
        }
        var conflict = CONFLICT.matcher(error);
        if (conflict.find()) {
            String field = conflict.group(1);
            String measurement = conflict.group(2);
            String type = conflict.group(3);
            for (int i = 0; i < lines.size(); i++) {
                if (measurement.equals(measurement(lines.get(i))) && type.equals(fieldType(lines.get(i), field))) {
                    named.set(i);
                }
            }
            if (named.cardinality() != Integer.parseInt(conflict.group(4))) {
                named.clear();
            }
        }
        return named;
    }

    /** The line's measurement, unescaped. */
    static String measurement(String line) {
        var out = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                out.append(line.charAt(++i));
            } else if (c == ',' || c == ' ') {
                break;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** InfluxDB's name for the type of {@code field}'s value in the line (float, integer, unsigned, string, boolean), or null. */
    static String fieldType(String line, String field) {
        int i = fieldsStart(line);
        while (i >= 0 && i < line.length()) {
            var key = new StringBuilder();
            while (i < line.length() && line.charAt(i) != '=') {
                char c = line.charAt(i++);
                key.append(c == '\\' && i < line.length() ? line.charAt(i++) : c);
            }
            int start = ++i;
            if (i < line.length() && line.charAt(i) == '"') {
                for (i++; i < line.length() && line.charAt(i) != '"'; i++) {
                    if (line.charAt(i) == '\\') {
                        i++;
                    }
                }
                i++;
            } else {
                while (i < line.length() && line.charAt(i) != ',' && line.charAt(i) != ' ') {
                    i++;
                }
            }
            if (key.toString().equals(field)) {
                return type(line.substring(start, Math.min(i, line.length())));
            }
            if (i >= line.length() || line.charAt(i) != ',') {
                return null;
            }
            i++;
        }
        return null;
    }

    private static int fieldsStart(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ' ') {
                return i + 1;
            }
        }
        return -1;
    }

    private static String type(String value) {
        if (value.startsWith("\"")) {
            return "string";
        }
        if (value.matches("(?i)t|true|f|false")) {
            return "boolean";
        }
        if (value.endsWith("i")) {
            return "integer";
        }
        return value.endsWith("u") ? "unsigned" : "float";
    }
}
