package io.monasca.sample.persister.repository;

import java.util.TreeMap;

/** Tag maps for tests, from alternating keys and values. */
final class Tags {
    private Tags() {
    }

    static TreeMap<String, String> of(String... keysAndValues) {
        TreeMap<String, String> tags = new TreeMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            tags.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return tags;
    }
}
