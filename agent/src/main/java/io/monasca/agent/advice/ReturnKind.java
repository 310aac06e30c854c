package io.monasca.agent.advice;

/**
 * What a timed method's result says about the items it handled: an {@code int} or {@code long} is the count (messages
 * parsed, points written), an array its length, a collection its size; anything else counts no items. A collection
 * is asked its size only when that runs no application code ({@link #COLLECTION}: the JDK's own collection classes
 * that answer from a field), unless the operation asks for any collection's size ({@link #ANY_COLLECTION}).
 */
public enum ReturnKind {
    NONE, INT, LONG, COLLECTION, ANY_COLLECTION, ARRAY;

    public boolean countsItems() {
        return this != NONE;
    }

    /** The kind of a method descriptor's result, for a method timed as {@code operation}. */
    static ReturnKind of(String methodDescriptor, int operation, TimingWeaver.Selector selector) {
        if (!selector.countsItems(operation)) {
            return NONE;
        }
        String result = methodDescriptor.substring(methodDescriptor.indexOf(')') + 1);
        switch (result.charAt(0)) {
            case 'I':
                return INT;
            case 'J':
                return LONG;
            case '[':
                return ARRAY;
            case 'L':
                if (!selector.isCollection(result.substring(1, result.length() - 1))) {
                    return NONE;
                }
                return selector.asksAnySize(operation) ? ANY_COLLECTION : COLLECTION;
            default:
                return NONE;
        }
    }
}
