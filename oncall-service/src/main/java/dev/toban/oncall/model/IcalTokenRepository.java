package dev.toban.oncall.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class IcalTokenRepository implements PanacheRepositoryBase<IcalToken, UUID> {

    public Optional<IcalToken> findLive(String subjectType, UUID subjectId, String tokenHash) {
        return find("subjectType = ?1 and subjectId = ?2 and tokenHash = ?3 and revokedAt is null",
                subjectType, subjectId, tokenHash).firstResultOptional();
    }
}
