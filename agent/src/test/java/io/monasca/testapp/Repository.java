package io.monasca.testapp;

/** An interface target: implementations, and those inherited from an abstract implementation, are timed. */
public interface Repository {
    int write(int points);

    abstract class AbstractRepository implements Repository {
        @Override
        public int write(int points) {
            return points;
        }
    }

    final class InheritingRepository extends AbstractRepository {
    }

    final class OwnRepository implements Repository {
        @Override
        public int write(int points) {
            return points * 2;
        }
    }

    /** Declares {@code helper}; its subclass inherits it from outside any named hierarchy. */
    class Base {
        public int helper() {
            return 7;
        }
    }

    final class Derived extends Base {
    }
}
