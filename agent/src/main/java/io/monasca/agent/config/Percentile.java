package io.monasca.agent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One percentile of the {@code percentiles} key: {@code q} with 0 < q < 100 and at most three decimals, kept in
 * thousandths so that ranks are computed in whole numbers.
 */
public final class Percentile implements Comparable<Percentile> {
    public static final int MAX_COUNT = 8;
    static final int MAX_DECIMALS = 3;
    /** 100 %, in thousandths of a percent. */
    public static final long WHOLE = 100_000;

    /** q in thousandths of a percent: 99.9 is 99900. */
    public final int thousandths;
    /** The metric name's last part: {@code p50}, {@code p99_9}. */
    public final String label;

    private Percentile(int thousandths) {
        this.thousandths = thousandths;
        String text = Integer.toString(thousandths / 1000);
        int fraction = thousandths % 1000;
        if (fraction != 0) {
            String digits = Integer.toString(1000 + fraction).substring(1);
            while (digits.endsWith("0")) {
                digits = digits.substring(0, digits.length() - 1);
            }
            text += "_" + digits;
        }
        this.label = "p" + text;
    }

    /**
     * The nearest rank of this percentile among {@code n} ordered values (1-based): the smallest rank r with
     * r >= q/100 * n, at least 1.
     */
    public long rank(long n) {
        long rank = n <= Long.MAX_VALUE / WHOLE ? (thousandths * n + WHOLE - 1) / WHOLE
                : (long) Math.ceil(thousandths / (double) WHOLE * n);
        return Math.max(1, rank);
    }

    /** {@code 50,95,99.9} in ascending order, or null when not that (a reason is not needed: one message says all). */
    static List<Percentile> parseList(String text) {
        List<Percentile> list = new ArrayList<Percentile>();
        for (String part : text.split(",", -1)) {
            int value = parseOne(part.trim());
            if (value <= 0 || value >= WHOLE) {
                return null;
            }
            Percentile p = new Percentile(value);
            for (Percentile other : list) {
                if (other.thousandths == value) {
                    return null; // a duplicate, such as 99.9 and 99.90
                }
            }
            list.add(p);
        }
        if (list.isEmpty() || list.size() > MAX_COUNT) {
            return null;
        }
        java.util.Collections.sort(list);
        return list;
    }

    /** {@code 99.9} as 99900; -1 when not digits with at most three decimals. */
    private static int parseOne(String text) {
        int dot = text.indexOf('.');
        String whole = dot < 0 ? text : text.substring(0, dot);
        String fraction = dot < 0 ? "" : text.substring(dot + 1);
        if (whole.isEmpty() || whole.length() > 3 || fraction.length() > MAX_DECIMALS || (dot >= 0 && fraction.isEmpty())
                || !digits(whole) || !digits(fraction)) {
            return -1;
        }
        while (fraction.length() < MAX_DECIMALS) {
            fraction += "0";
        }
        return Integer.parseInt(whole) * 1000 + Integer.parseInt(fraction);
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(Percentile other) {
        return thousandths < other.thousandths ? -1 : thousandths == other.thousandths ? 0 : 1;
    }

    @Override
    public String toString() {
        return label;
    }
}
