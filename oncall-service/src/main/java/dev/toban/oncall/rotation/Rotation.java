package dev.toban.oncall.rotation;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The rendering engine's input: plain values with no persistence, so the engine can be tested and
 * benchmarked on its own.
 */
public final class Rotation {

    private Rotation() {
    }

    /** A schedule as the engine sees it: its zone and its layers. */
    public record Schedule(UUID id, ZoneId zone, List<Layer> layers) {
        public Schedule {
            Objects.requireNonNull(zone, "zone");
            layers = List.copyOf(layers);
        }
    }

    /**
     * One rotation layer. Shift {@code i} starts at boundary {@code i}; slot {@code k} of shift {@code i}
     * is {@code participants[(i * slots + k) mod n]}. A layer has no one before its first boundary.
     */
    public record Layer(UUID id, String name, int level, List<UUID> participants, int slots,
                        int shiftAmount, ShiftUnit shiftUnit, LocalTime handoffTime, LocalDate startDate,
                        List<Restriction> restrictions) {
        public Layer {
            participants = List.copyOf(participants);
            restrictions = restrictions == null ? List.of() : List.copyOf(restrictions);
            if (slots < 1 || shiftAmount < 1) {
                throw new IllegalArgumentException("slots and shiftAmount must be positive");
            }
        }
    }

    /**
     * The layer is on call only inside these windows (wall-clock times in the schedule zone), each
     * starting on one of {@code days}. An {@code end} at or before {@code start} ends on the next day,
     * so {@code 19:00-10:00} is an overnight window and {@code 00:00-00:00} a whole day.
     */
    public record Restriction(Set<DayOfWeek> days, LocalTime start, LocalTime end) {
        public Restriction {
            days = Set.copyOf(days);
        }
    }

    /**
     * A person takes {@code [start, end)}. With {@code replacesPersonId} they replace that person where
     * that person would be on call; without it they are the only one on call.
     */
    public record Override(UUID id, UUID personId, UUID replacesPersonId, Instant start, Instant end) {
    }

    /** Where an on-call assignment comes from. */
    public enum Source {
        LAYER,
        OVERRIDE;

        public String wire() {
            return name().toLowerCase();
        }
    }

    /** One person on call, with provenance: the layer id or the override id. */
    public record Assignment(UUID personId, Source source, UUID sourceId) {
    }

    /** A stretch of time in which the final on-call list does not change. Empty lists are never emitted. */
    public record Segment(Instant start, Instant end, List<Assignment> assignments) {
        public boolean contains(Instant t) {
            return !t.isBefore(start) && t.isBefore(end);
        }

        public boolean hasPerson(UUID personId) {
            for (Assignment a : assignments) {
                if (a.personId().equals(personId)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A person's continuous time on call from one source (a layer or an override). */
    public record Shift(UUID personId, Instant start, Instant end, Source source, UUID sourceId) {
    }

    /** A person's continuous time on call in a schedule, whatever the source. */
    public record Run(UUID personId, Instant start, Instant end) {
    }
}
