package dev.llama.config;

/**
 * A configuration that cannot be used. The message reads {@code [source: ][key: ]problem}: the source
 * is where the value came from (a file, an environment variable), the key the path of the offending
 * value inside it ({@code tests[0].port_group}).
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String key;
    private final String problem;

    public ConfigException(String key, String problem) {
        this(null, key, problem);
    }

    private ConfigException(String source, String key, String problem) {
        super((source == null ? "" : source + ": ") + (key == null ? "" : key + ": ") + problem);
        this.source = source;
        this.key = key;
        this.problem = problem;
    }

    /** A problem of a whole source (an empty file, a syntax error), with no key. */
    public static ConfigException of(String source, String problem) {
        return new ConfigException(source, null, problem);
    }

    /** The same problem, said to come from {@code source}; unchanged when it already names one. */
    public ConfigException from(String source) {
        return this.source != null ? this : new ConfigException(source, key, problem);
    }

    /** The offending key, or null for a problem of the whole source. */
    public String key() {
        return key;
    }

    public String problem() {
        return problem;
    }
}
