package io.monasca.testapp.hierarchy.impl;

/** Inherits {@code greet()} from an interface: a target naming this class and greet matches nothing. */
public class Greeter implements Greeting {
}
