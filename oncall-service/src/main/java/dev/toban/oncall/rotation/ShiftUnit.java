package dev.toban.oncall.rotation;

/** Unit of a layer's shift length. HOURS are absolute durations; DAYS and WEEKS follow the wall clock. */
public enum ShiftUnit {
    HOURS,
    DAYS,
    WEEKS
}
