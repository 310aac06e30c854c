package io.monasca.sample.persister.config;

/** The configuration file is missing, unreadable or has a bad value; the message names the key. */
public class ConfigException extends Exception {

    public ConfigException(String message) {
        super(message);
    }
}
