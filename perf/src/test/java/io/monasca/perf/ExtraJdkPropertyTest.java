package io.monasca.perf;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * run-tests.sh gives {@code -Dtest.extra.jdk=...}, and surefire and failsafe pass a command line's properties to the
 * forked tests themselves: a pom that also names it in {@code systemPropertyVariables} made each of them print
 * "System property [test.extra.jdk] overwritten by user properties" once per module. The poms may name it only in a
 * profile that is active when the command line does not give it.
 */
class ExtraJdkPropertyTest {
    private static final String PROPERTY = "test.extra.jdk";

    @Test
    void theExtraJdkIsPassedToForkedTestsOnlyWhenTheCommandLineDoesNot() throws Exception {
        List<Path> poms = new ArrayList<>(List.of(Path.of("../pom.xml")));
        try (Stream<Path> modules = Files.list(Path.of(".."))) {
            modules.map(m -> m.resolve("pom.xml")).filter(Files::isRegularFile).forEach(poms::add);
        }
        List<String> unconditional = new ArrayList<>();
        for (Path pom : poms) {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
            NodeList named = doc.getElementsByTagName(PROPERTY);
            for (int i = 0; i < named.getLength(); i++) {
                Node node = named.item(i);
                if (!"systemPropertyVariables".equals(node.getParentNode().getNodeName())) continue;
                if (!inProfileActiveWithoutTheProperty(node)) unconditional.add(pom.normalize() + ": " + path(node));
            }
        }
        assertEquals(List.of(), unconditional, "systemPropertyVariables that name " + PROPERTY + " whatever the command line gives");
    }

    private static boolean inProfileActiveWithoutTheProperty(Node node) {
        for (Node n = node; n != null; n = n.getParentNode()) {
            if (n instanceof Element e && e.getTagName().equals("profile")) {
                NodeList names = e.getElementsByTagName("name");
                for (int i = 0; i < names.getLength(); i++) {
                    Node name = names.item(i);
                    if (name.getParentNode().getNodeName().equals("property") && name.getTextContent().trim().equals("!" + PROPERTY)) {
                        return true;
                    }
                }
                return false;
            }
        }
        return false;
    }

    private static String path(Node node) {
        StringBuilder path = new StringBuilder();
        for (Node n = node; n != null && n.getNodeType() == Node.ELEMENT_NODE; n = n.getParentNode()) {
            path.insert(0, "/" + n.getNodeName());
        }
        return path.toString();
    }
}
