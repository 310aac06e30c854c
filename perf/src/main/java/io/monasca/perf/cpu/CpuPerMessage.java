package io.monasca.perf.cpu;

/**
 * A round or a window: messages handled, and the persister's CPU time meanwhile ({@link ProcessCpu}), as
 * microseconds per message. The headline figure is the application threads' ({@link #cpuMicrosPerMessage}); the JIT
 * compilers', the garbage collector's and the whole process's are reported beside it. NaN when unknown.
 */
public interface CpuPerMessage {
    /** The CPU time span, or null when it was not read (no /proc, or the round failed). */
    ProcessCpu.Span cpuSpan();

    long messageCount();

    /** The application threads' CPU microseconds per message (JIT compilers and garbage collector left out). */
    default double cpuMicrosPerMessage() {
        return cpuSpan() == null ? Double.NaN : cpuSpan().applicationPer(messageCount());
    }

    /** The whole process's, JIT compilers and garbage collector included. */
    default double processMicrosPerMessage() {
        return cpuSpan() == null ? Double.NaN : cpuSpan().totalPer(messageCount());
    }

    default double jitMicrosPerMessage() {
        return cpuSpan() == null ? Double.NaN : cpuSpan().groupPer(ProcessCpu.Group.JIT, messageCount());
    }

    default double gcMicrosPerMessage() {
        return cpuSpan() == null ? Double.NaN : cpuSpan().groupPer(ProcessCpu.Group.GC, messageCount());
    }
}
