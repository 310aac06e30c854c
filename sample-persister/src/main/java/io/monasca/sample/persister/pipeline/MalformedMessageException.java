package io.monasca.sample.persister.pipeline;

/** A Kafka message that is not a valid Monasca metric envelope; the message is skipped. */
public class MalformedMessageException extends Exception {

    public MalformedMessageException(String message) {
        super(message);
    }
}
