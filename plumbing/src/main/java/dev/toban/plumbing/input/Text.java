package dev.toban.plumbing.input;

import dev.toban.plumbing.problem.ProblemException;

/**
 * The one rule for text Toban accepts from outside: no control characters (tab, newline and carriage
 * return only where text may span lines) and no unpaired UTF-16 surrogates. PostgreSQL refuses a NUL
 * (a 500 before this rule) and would store a lone surrogate as {@code ?}.
 */
public final class Text {

    private Text() {
    }

    /** What is wrong with {@code value}, or null when it is acceptable text. */
    public static String problem(String value, boolean singleLine) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains an unpaired surrogate (invalid Unicode)";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains an unpaired surrogate (invalid Unicode)";
            }
            if (c == '\n' || c == '\r' || c == '\t') {
                if (singleLine) {
                    return "must be a single line (no line breaks or tabs)";
                }
                continue;
            }
            if (isControl(c)) {
                return String.format("contains a control character (U+%04X)", (int) c);
            }
        }
        return null;
    }

    /** {@code value}, or a 400 naming {@code field} when it breaks the rule. */
    public static String check(String field, String value, boolean singleLine) {
        String problem = problem(value, singleLine);
        if (problem != null) {
            throw ProblemException.invalid(field, problem);
        }
        return value;
    }

    /**
     * Text from a provider or a monitoring tool, made storable rather than refused (an alert must never
     * be lost for a stray byte): control characters other than tab and line breaks are dropped, lone
     * surrogates become U+FFFD.
     */
    public static String clean(String value) {
        if (value == null || problem(value, false) == null) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                out.append(c).append(value.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else if (c == '\n' || c == '\r' || c == '\t' || !isControl(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** C0 controls, DEL and C1 controls. */
    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F);
    }
}
