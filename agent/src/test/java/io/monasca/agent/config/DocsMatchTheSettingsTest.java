package io.monasca.agent.config;

import io.monasca.agent.DocsFiles;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every configuration key the docs list or use is one the agent reads, and every key the agent reads is listed. */
class DocsMatchTheSettingsTest {
    @Test
    void theKeysTableListsExactlyTheKeys() {
        Set<String> listed = new TreeSet<>();
        String page = DocsFiles.read("docs/configuration.md");
        String keys = page.substring(page.indexOf("## Keys"), page.indexOf("### ", page.indexOf("## Keys")));
        Matcher row = Pattern.compile("(?m)^\\| ((?:`[^`]+`(?: / )?)+) \\|").matcher(keys);
        while (row.find()) {
            Matcher key = Pattern.compile("`([^`]+)`").matcher(row.group(1));
            while (key.find()) {
                listed.add(key.group(1));
            }
        }
        Set<String> known = new TreeSet<>(ConfigSources.KEYS);
        known.add(ConfigSources.OP_PREFIX + "<name>");
        known.add(ConfigSources.ITEMS_PREFIX + "<name>");
        assertEquals(known, listed);
    }

    @Test
    void everyKeyUsedInAnExampleIsKnown() {
        List<String> unknown = new ArrayList<>();
        Pattern argument = Pattern.compile("monasca-persister-agent\\.jar=(\\S+)");
        Pattern systemProperty = Pattern.compile("-Dmonasca\\.agent\\.([a-z0-9.<>-]+)=");
        Pattern environment = Pattern.compile("MONASCA_AGENT_([A-Z0-9_]+)");
        for (String line : DocsFiles.lines()) {
            Matcher a = argument.matcher(line);
            while (a.find()) {
                for (String entry : AgentArguments.split(a.group(1))) {
                    String key = entry.substring(0, Math.max(0, entry.indexOf('=')));
                    if (!key.equals("key") && !ConfigSources.isKnownKey(key)) { // "key=value": a placeholder
                        unknown.add(key + " in " + line);
                    }
                }
            }
            Matcher s = systemProperty.matcher(line);
            while (s.find()) {
                if (!s.group(1).contains("<") && !ConfigSources.isKnownKey(s.group(1))) {
                    unknown.add(s.group(1) + " in " + line);
                }
            }
            Matcher e = environment.matcher(line);
            while (e.find()) {
                boolean errorExample = line.contains("names no known key");
                if (!errorExample && !e.group(1).contains("KEY") && ConfigSources.keyOfEnvironmentName(e.group(1)) == null) {
                    unknown.add("MONASCA_AGENT_" + e.group(1) + " in " + line);
                }
            }
        }
        assertEquals(List.of(), unknown);
    }
}
