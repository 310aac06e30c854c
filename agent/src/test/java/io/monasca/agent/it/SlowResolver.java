package io.monasca.agent.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A DNS that answers names ending in {@code .slow.test} with 127.0.0.1 after {@code -Dslowdns.millis}: a resolver
 * of the JDK's resolver SPI (Java 18+), compiled by the JDK under test into a class path folder with its service
 * file.
 */
final class SlowResolver {
    private static final String SOURCE = """
            package slowdns;

            import java.net.InetAddress;
            import java.net.UnknownHostException;
            import java.net.spi.InetAddressResolver;
            import java.net.spi.InetAddressResolverProvider;
            import java.util.stream.Stream;

            public class SlowResolverProvider extends InetAddressResolverProvider {
                @Override
                public InetAddressResolver get(Configuration configuration) {
                    InetAddressResolver builtin = configuration.builtinResolver();
                    return new InetAddressResolver() {
                        @Override
                        public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                            if (!host.endsWith(".slow.test")) {
                                return builtin.lookupByName(host, policy);
                            }
                            try {
                                Thread.sleep(Long.getLong("slowdns.millis", 3000));
                            } catch (InterruptedException e) {
                                throw new UnknownHostException(host);
                            }
                            return Stream.of(InetAddress.getLoopbackAddress());
                        }

                        @Override
                        public String lookupByAddress(byte[] address) throws UnknownHostException {
                            return builtin.lookupByAddress(address);
                        }
                    };
                }

                @Override
                public String name() {
                    return "slow";
                }
            }
            """;

    private SlowResolver() {
    }

    static Path compile(Path jdk, Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/slowdns")).resolve("SlowResolverProvider.java");
        Files.writeString(src, SOURCE);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Process javac = new ProcessBuilder(jdk.resolve("bin/javac").toString(), "-d", classes.toString(), src.toString())
                .redirectErrorStream(true).start();
        String output = new String(javac.getInputStream().readAllBytes());
        assertTrue(javac.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, javac.exitValue(), output);
        Path services = Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(services.resolve("java.net.spi.InetAddressResolverProvider"), "slowdns.SlowResolverProvider\n");
        return classes;
    }
}
