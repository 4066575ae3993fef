package dev.toban.oncall.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class EscalationPolicyRepository implements PanacheRepositoryBase<EscalationPolicy, UUID> {

    public Optional<EscalationPolicy> findByName(String name) {
        return find("lower(name) = lower(?1)", name).firstResultOptional();
    }

    public long countTargeting(String type, UUID targetId) {
        return getEntityManager().createQuery(
                        "select count(p) from EscalationPolicy p join p.targets t where t.type = ?1 and t.targetId = ?2",
                        Long.class)
                .setParameter(1, type).setParameter(2, targetId).getSingleResult();
    }
}
