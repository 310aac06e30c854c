package io.monasca.agent.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Built-in sets of {@code op.<name>} targets, selected with the {@code profile} key. */
final class Profiles {
    static final String DEFAULT = "monasca-java";
    static final String NONE = "none";

    private static final String EVENT = "monasca.persister.pipeline.event.";

    private Profiles() {
    }

    /**
     * The operations of a profile, as {@code op.<name>} values, or null for an unknown profile.
     *
     * <p>{@code monasca-java}: the Java monasca-persister. {@code process} is one Kafka message (heartbeats never
     * reach it; its int result is the number of metrics), {@code flushRepository} one batch write (its result is
     * the number of points written). Both are declared in the handlers themselves; {@code onEvent} and
     * {@code flush} are not used because the base class's {@code onEvent} also flushes.
     */
    static Map<String, String> operations(String profile) {
        if (NONE.equals(profile)) {
            return Collections.emptyMap();
        }
        if (!DEFAULT.equals(profile)) {
            return null;
        }
        Map<String, String> ops = new LinkedHashMap<String, String>();
        ops.put("upsert", EVENT + "MetricHandler[process]");
        ops.put("flush", EVENT + "MetricHandler[flushRepository]");
        ops.put("alarm_upsert", EVENT + "AlarmStateTransitionHandler[process]");
        ops.put("alarm_flush", EVENT + "AlarmStateTransitionHandler[flushRepository]");
        return ops;
    }
}
