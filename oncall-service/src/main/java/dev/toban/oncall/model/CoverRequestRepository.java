package dev.toban.oncall.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class CoverRequestRepository implements PanacheRepositoryBase<CoverRequest, UUID> {
}
