package io.monasca.agent.advice;

/**
 * What a timed method's result says about the items it handled: an {@code int} or {@code long} is the count (messages
 * parsed, points written), a collection its size, an array its length; anything else counts no items.
 */
public enum ReturnKind {
    NONE, INT, LONG, COLLECTION, ARRAY;

    public boolean countsItems() {
        return this != NONE;
    }

    /** The kind of a method descriptor's result; {@code collection} tells whether a class type is a Collection. */
    static ReturnKind of(String methodDescriptor, TimingWeaver.Selector selector) {
        String result = methodDescriptor.substring(methodDescriptor.indexOf(')') + 1);
        switch (result.charAt(0)) {
            case 'I':
                return INT;
            case 'J':
                return LONG;
            case '[':
                return ARRAY;
            case 'L':
                return selector.isCollection(result.substring(1, result.length() - 1)) ? COLLECTION : NONE;
            default:
                return NONE;
        }
    }
}
