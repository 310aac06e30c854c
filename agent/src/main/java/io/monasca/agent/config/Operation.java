package io.monasca.agent.config;

import java.util.Collections;
import java.util.List;

/** A named operation ({@code upsert}, {@code flush}, ...) and the methods timed as it. */
public final class Operation {
    public final String name;
    public final List<OperationTarget> targets;
    /** Where it was configured, for messages: {@code profile monasca-java} or the key's source. */
    public final String origin;

    Operation(String name, List<OperationTarget> targets, String origin) {
        this.name = name;
        this.targets = Collections.unmodifiableList(targets);
        this.origin = origin;
    }

    @Override
    public String toString() {
        return name + "=" + targets;
    }
}
