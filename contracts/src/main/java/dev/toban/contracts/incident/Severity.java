package dev.toban.contracts.incident;

/** Incident severity, SEV1 worst; on the wire as its name ({@code SEV2}). */
public enum Severity {
    SEV1, SEV2, SEV3, SEV4
}
