package io.monasca.perf.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.monasca.perf.source.StatsdSource;
import io.monasca.perf.support.DebianPython;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stand-in Monasca API + Keystone checked with the real client, Debian's python3-monascaclient (with
 * keystoneauth1): it authenticates, finds the monitoring endpoint in the catalog, and reads names, metrics,
 * measurements and statistics (merge_metrics and group_by) that the monasca-statsd reference client sent through
 * this tool's statsd listener, i.e. the path the agent's metrics take in {@code perf run}.
 */
class StandInWithMonascaClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void realMonascaClientReadsTheStandIn() throws Exception {
        Assumptions.assumeTrue(DebianPython.has("monascastatsd") && DebianPython.has("monascaclient.client"),
                "Debian packages python3-monasca-statsd and python3-monascaclient are not installed");
        Instant start = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        try (StandInMonascaApi api = new StandInMonascaApi("127.0.0.1", 0, "RegionOne").user("reader", "secret", "monitoring", true);
             StatsdSource statsd = new StatsdSource(0, Duration.ofMillis(200), api::add)) {
            api.pageLimit(3);
            DebianPython.Result sent = DebianPython.run(String.join("\n",
                    "import monascastatsd as m",
                    "c = m.Connection(host='127.0.0.1', port=" + statsd.port() + ")",
                    "for host in ('h1', 'h2'):",
                    "    cl = m.Client(connection=c, dimensions={'service': 'monitoring', 'component': 'monasca-persister', 'hostname': host})",
                    "    cl.get_counter('monasca.persister.upsert.received').increment(40)",
                    "    cl.get_counter('monasca.persister.upsert.received').increment(2)"), 30);
            assertEquals(0, sent.exitCode(), sent.output());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (statsd.read().received() < 84 && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals(84, statsd.read().received());

            String script = String.join("\n",
                    "import json, sys",
                    "from keystoneauth1 import session",
                    "from keystoneauth1.identity import v3",
                    "from monascaclient import client",
                    "auth = v3.Password(auth_url='" + api.keystoneUrl() + "', username='reader', password='secret',",
                    "                   project_name='monitoring', user_domain_name='Default', project_domain_name='Default')",
                    "sess = session.Session(auth=auth)",
                    "# monascaclient takes the endpoint as given; the monasca CLI finds it in the catalog like this",
                    "endpoint = sess.get_endpoint(service_type='monitoring', interface='public', region_name='RegionOne')",
                    "c = client.Client('2_0', session=sess, endpoint=endpoint)",
                    "name = 'monasca.persister.upsert.received'",
                    "out = {'endpoint': endpoint}",
                    "out['names'] = [e['name'] for e in c.metrics.list_names()]",
                    "out['metrics'] = c.metrics.list(name=name)",
                    "out['merged'] = c.metrics.list_statistics(name=name, statistics='sum,count', start_time='" + start + "', period=3600, merge_metrics=True)",
                    "out['grouped'] = c.metrics.list_statistics(name=name, statistics='sum', start_time='" + start + "', period=3600, group_by='*')",
                    "out['h1'] = c.metrics.list_measurements(name=name, start_time='" + start + "', dimensions={'hostname': 'h1'})",
                    "try:",
                    "    c.metrics.list_measurements(name=name, start_time='" + start + "')",
                    "    out['conflict'] = 'no error'",
                    "except Exception as e:",
                    "    out['conflict'] = '%s %s' % (type(e).__name__, getattr(e, 'http_status', getattr(e, 'status_code', '')))",
                    "print(json.dumps(out))");
            DebianPython.Result read = DebianPython.run(script, 60);
            assertEquals(0, read.exitCode(), read.output());
            String lastLine = DebianPython.lines(read).get(DebianPython.lines(read).size() - 1);
            JsonNode out = JSON.readTree(lastLine);
            assertEquals(api.monascaUrl().toString(), out.path("endpoint").asText(), "keystoneauth1 found the endpoint in the catalog");
            assertTrue(out.path("names").toString().contains("monasca.persister.upsert.received"), out.toString());
            assertEquals(2, out.path("metrics").size(), out.path("metrics").toString());
            double mergedSum = 0;
            for (JsonNode e : out.path("merged")) for (JsonNode row : e.path("statistics")) mergedSum += row.path(1).asDouble();
            assertEquals(84.0, mergedSum, out.path("merged").toString());
            assertEquals(2, out.path("grouped").size(), "one element per hostname");
            double h1 = 0;
            for (JsonNode e : out.path("h1")) for (JsonNode row : e.path("measurements")) h1 += row.path(1).asDouble();
            assertEquals(42.0, h1);
            assertTrue(out.path("conflict").asText().contains("409"), out.path("conflict").asText());
        }
    }
}
