package io.monasca.agent.match;

import io.monasca.agent.config.Operation;
import io.monasca.agent.recording.Recorder;

import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The instrumenter on Java 9 and later (compiled for 9, loaded only there): it receives each class's module, and
 * lets a woven class of a named module read the agent's recording classes (the boot loader's unnamed module), which
 * a named module does not read by default. Done before the class is defined, so its first call is already timed.
 */
public final class ModuleAwareInstrumenter extends Instrumenter {
    private static final Module AGENT = Recorder.class.getModule();

    public ModuleAwareInstrumenter(List<Operation> operations) {
        super(operations);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        return transform(module, loader, className, classfileBuffer);
    }

    @Override
    protected void letModuleReadAgent(Object module) {
        Module m = (Module) module;
        if (m != null && m.isNamed() && !m.canRead(AGENT)) {
            instrumentation.redefineModule(m, Set.of(AGENT), Map.of(), Map.of(), Set.of(), Map.of());
        }
    }
}
