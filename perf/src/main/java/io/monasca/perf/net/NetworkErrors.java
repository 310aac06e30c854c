package io.monasca.perf.net;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Why a connection or a bind failed, in words a user can act on. The JDK's own messages often do not say: its
 * HttpClient reports a refused connection and an unresolvable host alike, as a ConnectException without a
 * message, and a bind names neither the address nor the port.
 */
public final class NetworkErrors {
    private NetworkErrors() {
    }

    /** Why sending an HTTP request to {@code uri} failed. */
    public static String connectFailure(IOException e, URI uri) {
        boolean connect = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "host name '" + uri.getHost() + "' does not resolve";
            }
            connect |= t instanceof ConnectException;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException && t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
        }
        if (connect) return "connection refused";
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            Throwable cause = e.getCause();
            message = cause != null && cause.getMessage() != null ? cause.getMessage() : e.getClass().getSimpleName();
        }
        return message;
    }

    /** Why listening on {@code address}:{@code port} failed: not this machine's address, the port taken, or else. */
    public static String bindFailure(SocketException e, InetAddress address) {
        if (!isLocal(address)) return "not an address of this machine";
        if (e instanceof BindException && String.valueOf(e.getMessage()).contains("in use")) return "the port is already in use";
        return e.getMessage();
    }

    static boolean isLocal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) return true;
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true; // cannot tell: let the bind's own message speak
        }
    }
}
