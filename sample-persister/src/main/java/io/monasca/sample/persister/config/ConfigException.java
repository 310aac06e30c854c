package io.monasca.sample.persister.config;

import java.util.regex.Pattern;

/**
 * The configuration file is missing, unreadable or has a bad value; the message names the key. It never quotes the
 * file: the YAML parser's excerpt of the line at fault (which may hold a password) is left out, its line and column
 * stay.
 */
public class ConfigException extends Exception {

    /** SnakeYAML's "line N, column M:" followed by the line's text and a caret under the column. */
    private static final Pattern EXCERPT = Pattern.compile("(line \\d+, column \\d+):?\\R.*\\R\\s*\\^ *");

    public ConfigException(String message) {
        super(EXCERPT.matcher(message).replaceAll("$1"));
    }
}
