package io.monasca.testapp.bytes;

public interface MidTask extends Task {
}
