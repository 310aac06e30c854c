package io.monasca.agent.cli;

import io.monasca.agent.DocsFiles;
import io.monasca.agent.control.AgentControlMBean;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every agent command the docs show is one the CLI has, and the MBean's attributes are the ones documented. */
class DocsMatchTheCommandsTest {
    private static final Pattern COMMAND = Pattern.compile("java -jar \\S*monasca-persister-agent\\.jar ([a-z-]+)");

    private static Set<String> commandsOfTheCli() {
        Set<String> commands = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^  ([a-z]+) ").matcher(Commands.USAGE_TEXT);
        while (m.find()) {
            commands.add(m.group(1));
        }
        return commands;
    }

    @Test
    void everyCommandShownExists() {
        Set<String> known = commandsOfTheCli();
        assertEquals(Set.of("attach", "status", "enable", "disable", "detach", "list", "version"), known);
        List<String> unknown = new ArrayList<>();
        Set<String> shown = new TreeSet<>();
        for (String line : DocsFiles.lines()) {
            Matcher m = COMMAND.matcher(line);
            while (m.find()) {
                shown.add(m.group(1));
                if (!known.contains(m.group(1))) {
                    unknown.add(line);
                }
            }
        }
        assertEquals(List.of(), unknown, "commands the docs show but the CLI does not have");
        assertEquals(known, shown, "every command is documented");
    }

    @Test
    void everyExitCodeIsInTheDocsTable() {
        Set<String> ofTheCli = new TreeSet<>();
        Matcher code = Pattern.compile("(?:codes: |, |^ +)(\\d) ", Pattern.MULTILINE)
                .matcher(Commands.USAGE_TEXT.substring(Commands.USAGE_TEXT.indexOf("exit codes:")));
        while (code.find()) {
            ofTheCli.add(code.group(1));
        }
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| (\\d) \\|").matcher(DocsFiles.read("docs/operating.md"));
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertEquals(Set.of("0", "1", "2", "3", "4", "5", "6"), ofTheCli, Commands.USAGE_TEXT);
        assertEquals(ofTheCli, documented, "docs/operating.md's exit-code table");
    }

    @Test
    void theMBeansAttributesAreTheDocumentedOnes() {
        Set<String> attributes = new TreeSet<>();
        for (Method m : AgentControlMBean.class.getMethods()) {
            String name = m.getName();
            if (m.getParameterCount() == 0 && (name.startsWith("get") || name.startsWith("is"))) {
                attributes.add(name.substring(name.startsWith("get") ? 3 : 2));
            }
        }
        String operating = DocsFiles.read("docs/operating.md");
        Matcher section = Pattern.compile("attributes\\s+(.*?); operations", Pattern.DOTALL).matcher(operating);
        assertTrue(section.find(), "docs/operating.md lists the MBean's attributes");
        Set<String> documented = new TreeSet<>();
        Matcher name = Pattern.compile("`([A-Za-z]+)`").matcher(section.group(1));
        while (name.find()) {
            documented.add(name.group(1));
        }
        assertEquals(attributes, documented);
    }
}
