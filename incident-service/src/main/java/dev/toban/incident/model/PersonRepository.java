package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class PersonRepository implements PanacheRepositoryBase<Person, UUID> {

    public Optional<Person> findByUsername(String username) {
        return find("lower(username) = lower(?1)", username).firstResultOptional();
    }

    /** Active people with this email (any case); more than one means the email cannot name a person. */
    public java.util.List<Person> findActiveByEmail(String email) {
        return find("lower(email) = lower(?1) and archivedAt is null", email).page(0, 2).list();
    }

    public Optional<Person> findBySlackUserId(String slackUserId) {
        return find("slackUserId", slackUserId).firstResultOptional();
    }
}
