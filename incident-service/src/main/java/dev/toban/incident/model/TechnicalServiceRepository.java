package dev.toban.incident.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class TechnicalServiceRepository implements PanacheRepositoryBase<TechnicalService, UUID> {

    public Optional<TechnicalService> findByName(String name) {
        return find("lower(name) = lower(?1)", name).firstResultOptional();
    }
}
