package io.monasca.testapp;

import io.monasca.testapp.hierarchy.api.Transform;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Targets reached the ways the agent's matching has shortcuts for: the target interface and an abstract base in a
 * parent loader's jar, implementations in a child loader's jar that can see the target only through its parent,
 * loaded before their supertypes; an implementation reaching the target only through a superinterface; and the
 * unmatched cases with hints (a default method, a class with only constructors, an interface only a lambda
 * implements).
 */
final class HierarchyScenario {
    private HierarchyScenario() {
    }

    static void run() throws Exception {
        Path classes = Path.of(HierarchyScenario.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path parentJar = copy(classes, "io/monasca/testapp/hierarchy/api");
        Path childJar = copy(classes, "io/monasca/testapp/hierarchy/impl");
        try (URLClassLoader parent = new URLClassLoader(new URL[]{parentJar.toUri().toURL()}, null);
             URLClassLoader child = new URLClassLoader(new URL[]{childJar.toUri().toURL()}, parent)) {
            TestApp.check(call(child, "ChildHandler", 1) == 2, "child handler result");
            TestApp.check(call(child, "ViaSubInterface", 3) == 6, "sub-interface handler result");
            Object greeter = child.loadClass("io.monasca.testapp.hierarchy.impl.Greeter").getConstructor().newInstance();
            TestApp.check("hello".equals(greeter.getClass().getMethod("greet").invoke(greeter)), "default method result");
            child.loadClass("io.monasca.testapp.hierarchy.impl.OnlyConstructors").getConstructor().newInstance();
        }
        Transform upper = s -> s.toUpperCase();
        TestApp.check(upper.apply("x").equals("X"), "lambda result");
        TestApp.expect("hier.completed", 2);
        TestApp.expect("hier.items", 2 + 6);
    }

    private static int call(ClassLoader loader, String simpleName, int n) throws Exception {
        Class<?> type = loader.loadClass("io.monasca.testapp.hierarchy.impl." + simpleName);
        TestApp.check(type.getClassLoader() == loader, simpleName + " loaded by the child");
        Object handler = type.getConstructor().newInstance();
        return (Integer) type.getMethod("handle", int.class).invoke(handler, n);
    }

    /** A folder holding only one package's classes, as a jar of its own would. */
    private static Path copy(Path classes, String packagePath) throws IOException {
        Path root = Files.createTempDirectory("hierarchy");
        root.toFile().deleteOnExit();
        Path target = Files.createDirectories(root.resolve(packagePath));
        try (Stream<Path> files = Files.list(classes.resolve(packagePath))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName()));
                new File(target.resolve(f.getFileName()).toString()).deleteOnExit();
            }
        }
        return root;
    }
}
