package dev.llama.config;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Command-line flags parsed the way Go's {@code flag} package does, so the original's command lines
 * work unchanged: {@code -name value}, {@code -name=value}, {@code --name value}, and {@code -name}
 * alone for booleans. Parsing stops at {@code --}; positional arguments are refused.
 */
public final class Flags {
    /** Thrown by {@link #parse} when {@code -h}, {@code -help} or {@code --help} is given. */
    public static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super(null, null, false, false);
        }
    }

    private enum Kind { STRING, INT, FLOAT, BOOL }

    private record Flag(String name, Kind kind, String def, String help) {
    }

    private static final Pattern FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final String command;
    private final String summary;
    private final Map<String, Flag> flags = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();

    public Flags(String command, String summary) {
        this.command = command;
        this.summary = summary;
    }

    public Flags string(String name, String def, String help) {
        return define(new Flag(name, Kind.STRING, def, help));
    }

    public Flags integer(String name, long def, String help) {
        return define(new Flag(name, Kind.INT, Long.toString(def), help));
    }

    /** A float flag: Go's syntax ({@code 2500.5}, {@code 1e4}), finite values only. */
    public Flags decimal(String name, double def, String help) {
        return define(new Flag(name, Kind.FLOAT, text(def), help));
    }

    private static String text(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    public Flags bool(String name, String help) {
        return define(new Flag(name, Kind.BOOL, "false", help));
    }

    private Flags define(Flag f) {
        flags.put(f.name(), f);
        return this;
    }

    /** Parses {@code args}; throws {@link UsageException} or {@link HelpRequested}. */
    public Flags parse(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                if (i + 1 < args.size()) {
                    throw new UsageException("unexpected argument: " + args.get(i + 1));
                }
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                throw new UsageException("unexpected argument: " + arg);
            }
            String name = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.equals("h") || name.equals("help")) {
                throw new HelpRequested();
            }
            Flag f = flags.get(name);
            if (f == null) {
                throw new UsageException("flag provided but not defined: -" + name);
            }
            if (value == null) {
                if (f.kind() == Kind.BOOL) {
                    value = "true";
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException("flag needs an argument: -" + name);
                }
            }
            check(f, value);
            values.put(name, value);
        }
        return this;
    }

    private static void check(Flag f, String value) {
        try {
            switch (f.kind()) {
                case INT -> Long.parseLong(value);
                case FLOAT -> {
                    // Java would also take "1d", "0x1p3" or surrounding blanks; Go's flag package does not.
                    if (!FLOAT.matcher(value).matches() || !Double.isFinite(Double.parseDouble(value))) {
                        throw new NumberFormatException();
                    }
                }
                case BOOL -> parseBool(value);
                default -> {
                }
            }
        } catch (NumberFormatException e) {
            throw new UsageException("invalid value \"" + value + "\" for flag -" + f.name() + ": expected "
                    + f.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    public String string(String name) {
        return values.getOrDefault(name, flags.get(name).def());
    }

    /** Whether the flag was given on the command line. */
    public boolean given(String name) {
        return values.containsKey(name);
    }

    public long integer(String name) {
        return Long.parseLong(string(name));
    }

    /** An integer flag that must lie in [min, max]. */
    public int integer(String name, long min, long max) {
        long v = integer(name);
        if (v < min || v > max) {
            throw new UsageException("invalid value \"" + v + "\" for flag -" + name + ": must be " + min + " to " + max);
        }
        return (int) v;
    }

    public double decimal(String name) {
        return Double.parseDouble(string(name));
    }

    /** A float flag that must lie in [min, max]. */
    public double decimal(String name, double min, double max) {
        double v = decimal(name);
        if (!(v >= min && v <= max)) {
            throw new UsageException("invalid value \"" + string(name) + "\" for flag -" + name + ": must be " + text(min) + " to " + text(max));
        }
        return v;
    }

    public boolean bool(String name) {
        return parseBool(string(name));
    }

    /** Go's {@code strconv.ParseBool}: 1, t, T, TRUE, true, True and their false twins. */
    private static boolean parseBool(String v) {
        return switch (v) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new NumberFormatException();
        };
    }

    public void usage(PrintStream out) {
        out.println("Usage: llama " + command + " [flags]");
        out.println();
        out.println(summary);
        out.println();
        out.println("Flags:");
        for (Flag f : flags.values()) {
            String arg = switch (f.kind()) {
                case INT -> " int";
                case FLOAT -> " float";
                case STRING -> " string";
                case BOOL -> "";
            };
            out.println("  -" + f.name() + arg);
            out.println("        " + f.help() + (f.kind() == Kind.BOOL || f.def().isEmpty() ? "" : " (default " + f.def() + ")"));
        }
    }
}
