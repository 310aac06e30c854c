package io.monasca.agent.config;

import java.util.Collections;
import java.util.List;

/** A named operation ({@code upsert}, {@code flush}, ...) and the methods timed as it. */
public final class Operation {
    /** What the results of this operation's methods count as items (key {@code items.<name>}). */
    public enum Items {
        /** An int or long result, an array's length, the size of the JDK's own collections (the default). */
        AUTO,
        /** Also the size of any other returned collection: the application's own {@code size()}, asked for. */
        SIZE,
        /** No items. */
        NONE
    }

    public final String name;
    public final List<OperationTarget> targets;
    /** Where it was configured, for messages: {@code profile monasca-java} or the key's source. */
    public final String origin;
    public final Items items;

    Operation(String name, List<OperationTarget> targets, String origin, Items items) {
        this.name = name;
        this.targets = Collections.unmodifiableList(targets);
        this.origin = origin;
        this.items = items;
    }

    @Override
    public String toString() {
        return name + "=" + targets;
    }
}
