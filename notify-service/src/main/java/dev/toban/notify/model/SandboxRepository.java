package dev.toban.notify.model;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

/** The Slack sandbox's workspace in the database: channels, messages, users, modals, triggers and response_urls. */
@ApplicationScoped
public class SandboxRepository {

    private final EntityManager em;

    public SandboxRepository(EntityManager em) {
        this.em = em;
    }

    public <T> void persist(T entity) {
        em.persist(entity);
    }

    public void delete(Object entity) {
        em.remove(entity);
    }

    /** The next message number; it also makes the message's ts unique and increasing. */
    public long nextSeq() {
        return ((Number) em.createNativeQuery("select nextval('sandbox_ts_seq')").getSingleResult()).longValue();
    }

    /** Creates a channel or DM unless another replica created it at the same moment. */
    public void insertChannel(SandboxChannel channel) {
        em.createNativeQuery("""
                        insert into sandbox_channel (id, name, dm_user_id, created_at) values (?1, ?2, ?3, ?4)
                        on conflict do nothing""")
                .setParameter(1, channel.id)
                .setParameter(2, channel.name)
                .setParameter(3, channel.dmUserId)
                .setParameter(4, channel.createdAt)
                .executeUpdate();
    }

    public Optional<SandboxChannel> channel(String id) {
        return Optional.ofNullable(em.find(SandboxChannel.class, id));
    }

    public Optional<SandboxChannel> channelNamed(String name) {
        return em.createQuery("from SandboxChannel where name = ?1", SandboxChannel.class).setParameter(1, name)
                .getResultStream().findFirst();
    }

    public Optional<SandboxChannel> dmWith(String userId) {
        return em.createQuery("from SandboxChannel where dmUserId = ?1", SandboxChannel.class).setParameter(1, userId)
                .getResultStream().findFirst();
    }

    /** Channels by name, then DMs. */
    public List<SandboxChannel> channels() {
        return em.createQuery("from SandboxChannel order by case when name is null then 1 else 0 end, name, dmUserId",
                SandboxChannel.class).getResultList();
    }

    public Optional<SandboxMessage> message(String channelId, String ts) {
        return em.createQuery("from SandboxMessage where channelId = ?1 and ts = ?2", SandboxMessage.class)
                .setParameter(1, channelId).setParameter(2, ts).getResultStream().findFirst();
    }

    public Optional<SandboxMessage> messageForUpdate(String channelId, String ts) {
        return em.createQuery("from SandboxMessage where channelId = ?1 and ts = ?2", SandboxMessage.class)
                .setParameter(1, channelId).setParameter(2, ts).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst();
    }

    /**
     * The newest {@code limit} messages of a channel (not replies) that {@code viewer} may see, oldest
     * first; {@code viewer} null sees only what everyone sees.
     */
    public List<SandboxMessage> channelMessages(String channelId, String viewer, int limit) {
        List<SandboxMessage> newest = em.createQuery("""
                        from SandboxMessage where channelId = ?1 and threadTs is null
                          and (ephemeralFor is null or ephemeralFor = ?2) order by seq desc""", SandboxMessage.class)
                .setParameter(1, channelId).setParameter(2, viewer == null ? "" : viewer)
                .setMaxResults(limit).getResultList();
        return newest.reversed();
    }

    /** The replies of the threads of these parents that {@code viewer} may see, in posting order. */
    public List<SandboxMessage> replies(String channelId, List<String> parents, String viewer) {
        if (parents.isEmpty()) {
            return List.of();
        }
        return em.createQuery("""
                        from SandboxMessage where channelId = ?1 and threadTs in ?2
                          and (ephemeralFor is null or ephemeralFor = ?3) order by seq""", SandboxMessage.class)
                .setParameter(1, channelId).setParameter(2, parents).setParameter(3, viewer == null ? "" : viewer)
                .getResultList();
    }

    /** conversations.history: messages in the channel (not replies, not ephemeral), newest first. */
    public List<SandboxMessage> history(String channelId, String oldest, int limit) {
        return em.createQuery("""
                        from SandboxMessage where channelId = ?1 and threadTs is null and ephemeralFor is null
                          and ts >= ?2 order by seq desc""", SandboxMessage.class)
                .setParameter(1, channelId).setParameter(2, oldest == null ? "" : oldest)
                .setMaxResults(limit).getResultList();
    }

    /** conversations.replies: the parent and its replies (not ephemeral), oldest first. */
    public List<SandboxMessage> thread(String channelId, String ts, String oldest, int limit) {
        return em.createQuery("""
                        from SandboxMessage where channelId = ?1 and (ts = ?2 or threadTs = ?2) and ephemeralFor is null
                          and (ts = ?2 or ts >= ?3) order by seq""", SandboxMessage.class)
                .setParameter(1, channelId).setParameter(2, ts).setParameter(3, oldest == null ? "" : oldest)
                .setMaxResults(limit).getResultList();
    }

    public Optional<SandboxUser> user(String id) {
        return Optional.ofNullable(em.find(SandboxUser.class, id));
    }

    public Optional<SandboxUser> userNamed(String username) {
        return em.createQuery("from SandboxUser where username = ?1", SandboxUser.class).setParameter(1, username)
                .getResultStream().findFirst();
    }

    public Optional<SandboxUser> userWithEmail(String email) {
        return em.createQuery("from SandboxUser where lower(email) = lower(?1)", SandboxUser.class).setParameter(1, email)
                .getResultStream().findFirst();
    }

    public List<SandboxUser> users() {
        return em.createQuery("from SandboxUser", SandboxUser.class).getResultList();
    }

    public Optional<SandboxTrigger> triggerForUpdate(String id) {
        return Optional.ofNullable(em.find(SandboxTrigger.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    public Optional<SandboxView> view(String id) {
        return Optional.ofNullable(em.find(SandboxView.class, id));
    }

    public Optional<SandboxView> viewForUpdate(String id) {
        return Optional.ofNullable(em.find(SandboxView.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    public Optional<SandboxView> viewWithExternalId(String externalId) {
        return em.createQuery("from SandboxView where externalId = ?1", SandboxView.class).setParameter(1, externalId)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultStream().findFirst();
    }

    /** The user's open modals, the newest (the one on top) first. */
    public List<SandboxView> openViews(String userId) {
        return em.createQuery("from SandboxView where userId = ?1 and open = true order by createdAt desc, id",
                SandboxView.class).setParameter(1, userId).getResultList();
    }

    /** Records a fact once; false when it was recorded already (by this or another replica). */
    public boolean recordState(String key, String value) {
        return em.createNativeQuery("""
                        insert into sandbox_state (key, value, updated_at) values (?1, ?2, now())
                        on conflict do nothing""")
                .setParameter(1, key)
                .setParameter(2, value)
                .executeUpdate() == 1;
    }

    public boolean hasState(String key) {
        return ((Number) em.createNativeQuery("select count(*) from sandbox_state where key = ?1")
                .setParameter(1, key).getSingleResult()).longValue() > 0;
    }

    public Optional<SandboxResponse> responseForUpdate(java.util.UUID id) {
        return Optional.ofNullable(em.find(SandboxResponse.class, id, LockModeType.PESSIMISTIC_WRITE));
    }
}
