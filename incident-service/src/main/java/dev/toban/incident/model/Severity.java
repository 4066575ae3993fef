package dev.toban.incident.model;

/** Incident severity, SEV1 worst. */
public enum Severity {
    SEV1, SEV2, SEV3, SEV4
}
