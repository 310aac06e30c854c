package io.monasca.agent.advice;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** Control flow of every common shape, for the weaver: each method must return and throw exactly as before. */
public class Shapes {
    private final Object lock = new Object();
    private long total;

    public static int loops(int n) {
        int sum = 0;
        for (int i = 0; i < n; i++) {
            if (i % 3 == 0) {
                continue;
            }
            sum += i;
        }
        return sum;
    }

    public long wide(long a, double b, int c) {
        long x = a;
        double y = b;
        while (c-- > 0) {
            x += (long) y;
            y *= 1.5;
        }
        total += x;
        return x;
    }

    public String finallyReturns(int n) {
        StringBuilder out = new StringBuilder();
        try {
            if (n < 0) {
                throw new IllegalArgumentException("negative");
            }
            if (n == 0) {
                return "zero";
            }
            out.append("n=").append(n);
        } catch (IllegalArgumentException e) {
            return "caught " + e.getMessage();
        } finally {
            out.append(";finally");
        }
        return out.toString();
    }

    public int synchronizedBlock(int n) {
        synchronized (lock) {
            if (n > 10) {
                return n * 2;
            }
            total += n;
        }
        return n;
    }

    public synchronized int synchronizedMethod(int n) {
        return n + 1;
    }

    public static String tableSwitch(int n) {
        switch (n) {
            case 0: return "zero";
            case 1: return "one";
            case 2: return "two";
            default: return "many";
        }
    }

    public static int lookupSwitch(String s) {
        switch (s) {
            case "alpha": return 1;
            case "omega": return 26;
            default: return -1;
        }
    }

    public static int lambdas(int n) {
        IntUnaryOperator twice = x -> x * 2;
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(twice.applyAsInt(i));
        }
        return out.stream().mapToInt(Integer::intValue).sum();
    }

    public static double doubles(double a, float b) {
        return a > b ? a - b : (double) b * 2;
    }

    public static char chars(char c, boolean upper) {
        return upper ? Character.toUpperCase(c) : c;
    }

    public static int varargs(int... values) {
        int max = Integer.MIN_VALUE;
        for (int v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    public static int nestedTry(int n) throws Exception {
        try {
            try {
                if (n == 1) {
                    throw new java.io.IOException("io");
                }
                return n;
            } finally {
                if (n == 2) {
                    throw new IllegalStateException("from finally");
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    public static void throwsChecked(boolean really) throws Exception {
        if (really) {
            throw new Exception("checked");
        }
    }

    public static int deep(int depth) {
        return depth <= 0 ? 0 : 1 + deep(depth - 1);
    }

    public long total() {
        return total;
    }
}
