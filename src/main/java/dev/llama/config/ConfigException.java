package dev.llama.config;

/** A configuration that cannot be used; the message starts with the offending key. */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
    }
}
