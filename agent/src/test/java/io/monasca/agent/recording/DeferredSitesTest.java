package io.monasca.agent.recording;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The deferred-site table: each site decided once, at its first call, by the registered resolver. */
class DeferredSitesTest {
    private static final int OPERATION = 0;

    /** Answers from a list by site; counts the questions and records what it was told. */
    private static final class ListResolver implements DeferredSites.Resolver {
        final List<Integer> answers = new ArrayList<>();
        final List<String> asked = new ArrayList<>();
        final List<String> told = new ArrayList<>();

        @Override
        public int operationFor(int site, Class<?> owner) {
            asked.add(site + " " + owner.getSimpleName());
            return answers.get(site);
        }

        @Override
        public void decided(int site, Class<?> owner, int operation) {
            // a call made while telling (a log line reaching timed code) meets the decided site
            assertEquals(operation, DeferredSites.operation(site, owner));
            told.add(site + "=" + operation);
        }
    }

    @AfterEach
    void stop() {
        DeferredSites.start(null);
    }

    @Test
    void eachSiteIsDecidedAtItsFirstCallOnly() {
        ListResolver resolver = new ListResolver();
        DeferredSites.start(resolver);
        Recorder.start(1);
        for (int i = 0; i < 20; i++) { // past the first growth of the table
            resolver.answers.add(i % 2 == 0 ? OPERATION : DeferredSites.NOT_TIMED);
            assertEquals(i, DeferredSites.add());
        }
        Cell cell = Recorder.enterDeferred(18, DeferredSitesTest.class);
        assertNotNull(cell);
        Recorder.exit(cell, null, 0);
        assertNull(Recorder.enterDeferred(19, DeferredSitesTest.class));
        for (int i = 0; i < 3; i++) {
            assertEquals(OPERATION, DeferredSites.operation(18, DeferredSitesTest.class));
            assertEquals(DeferredSites.NOT_TIMED, DeferredSites.operation(19, DeferredSitesTest.class));
        }
        assertEquals(List.of("18 DeferredSitesTest", "19 DeferredSitesTest"), resolver.asked);
        assertEquals(List.of("18=0", "19=-1"), resolver.told);
    }

    @Test
    void withoutAResolverOrForAnotherAgentsSitesNothingIsTimed() {
        ListResolver resolver = new ListResolver();
        resolver.answers.add(OPERATION);
        DeferredSites.start(resolver);
        assertEquals(0, DeferredSites.add());
        assertEquals(DeferredSites.NOT_TIMED, DeferredSites.operation(1, Object.class)); // never added
        assertEquals(DeferredSites.NOT_TIMED, DeferredSites.operation(-1, Object.class));
        DeferredSites.stop(); // detached: undecided sites stay untimed, nobody is asked
        assertEquals(DeferredSites.NOT_TIMED, DeferredSites.operation(0, Object.class));
        DeferredSites.start(resolver); // a new agent: the earlier agent's site 0 is gone
        assertEquals(DeferredSites.NOT_TIMED, DeferredSites.operation(0, Object.class));
        assertEquals(List.of(), resolver.asked);
    }
}
