package dev.toban.oncall.demo;

import dev.toban.oncall.config.DemoConfig;
import dev.toban.oncall.escalation.EscalationPolicyService.LevelRequest;
import dev.toban.oncall.escalation.EscalationPolicyService.PolicyRequest;
import dev.toban.oncall.escalation.EscalationPolicyService.TargetRequest;
import dev.toban.oncall.escalation.EscalationPolicyService;
import dev.toban.oncall.model.EscalationPolicyRepository;
import dev.toban.oncall.model.PersonRepository;
import dev.toban.oncall.model.ScheduleRepository;
import dev.toban.oncall.model.TeamRepository;
import dev.toban.oncall.people.PersonService.ContactMethodRequest;
import dev.toban.oncall.people.PersonService.NotificationRuleRequest;
import dev.toban.oncall.people.PersonService.PersonRequest;
import dev.toban.oncall.people.PersonService;
import dev.toban.oncall.rotation.ShiftUnit;
import dev.toban.oncall.schedule.ScheduleService.LayerRequest;
import dev.toban.oncall.schedule.ScheduleService.ScheduleRequest;
import dev.toban.oncall.schedule.ScheduleService.ShiftLength;
import dev.toban.oncall.schedule.ScheduleService;
import dev.toban.oncall.team.TeamService.TeamRequest;
import dev.toban.oncall.team.TeamService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The demo organisation of docs/architecture.md ("Demo data"), created once when
 * {@code toban.demo.enabled}: eight people (each a user of the demo realm), the Server and Mobile teams, the "server" schedule with
 * two people on call at once and the "mobile" schedule with one (weekly, Monday 10:00 Asia/Tokyo),
 * and an escalation policy per team. Safe with two replicas: one transaction under an advisory lock,
 * and every entity is created only if its fixed id is absent.
 */
@ApplicationScoped
public class DemoDataService {

    private static final Logger LOG = Logger.getLogger(DemoDataService.class);
    static final long LOCK_KEY = "toban-oncall-demo".hashCode();

    public static final UUID TEAM_SERVER = UUID.fromString("11111111-0000-4000-8000-000000000001");
    public static final UUID TEAM_MOBILE = UUID.fromString("11111111-0000-4000-8000-000000000002");
    public static final UUID POLICY_SERVER = UUID.fromString("22222222-0000-4000-8000-000000000001");
    public static final UUID POLICY_MOBILE = UUID.fromString("22222222-0000-4000-8000-000000000002");
    public static final UUID SCHEDULE_SERVER = UUID.fromString("33333333-0000-4000-8000-000000000001");
    public static final UUID SCHEDULE_MOBILE = UUID.fromString("33333333-0000-4000-8000-000000000002");
    public static final UUID SATO = UUID.fromString("44444444-0000-4000-8000-000000000001");
    public static final UUID SUZUKI = UUID.fromString("44444444-0000-4000-8000-000000000002");
    public static final UUID TANAKA = UUID.fromString("44444444-0000-4000-8000-000000000003");
    public static final UUID YAMADA = UUID.fromString("44444444-0000-4000-8000-000000000004");
    public static final UUID ADMIN = UUID.fromString("44444444-0000-4000-8000-000000000005");
    public static final UUID TAKAHASHI = UUID.fromString("44444444-0000-4000-8000-000000000006");
    public static final UUID ITO = UUID.fromString("44444444-0000-4000-8000-000000000007");
    public static final UUID WATANABE = UUID.fromString("44444444-0000-4000-8000-000000000008");
    static final UUID LAYER_SERVER = UUID.fromString("33333333-1000-4000-8000-000000000001");
    static final UUID LAYER_MOBILE = UUID.fromString("33333333-1000-4000-8000-000000000002");
    /**
     * A demo person and their Keycloak user in keycloak/realm-toban.json: the same username, name
     * ("first last" there), email ({@code <username>@toban.example}) and language; {@code role} is the
     * user's realm role. Everyone who can be on call (the rotations and the policies' second level) has a
     * login, so they can sign in and act from Slack (RealmAgreesWithDemoTest).
     */
    public record DemoPerson(UUID id, String name, String username, String locale, String slackUserId, String role) {
        public String email() {
            return username + "@toban.example";
        }
    }

    public static final List<DemoPerson> PEOPLE = List.of(
            new DemoPerson(SATO, "Hanako Sato", "sato", "ja", "U0TBNSATO", "responder"),
            new DemoPerson(SUZUKI, "Ichiro Suzuki", "suzuki", "ja", "U0TBNSUZUKI", "responder"),
            new DemoPerson(TANAKA, "Ken Tanaka", "tanaka", "ja", "U0TBNTANAKA", "responder"),
            new DemoPerson(YAMADA, "Yui Yamada", "yamada", "ja", "U0TBNYAMADA", "viewer"),
            new DemoPerson(ADMIN, "Toban Admin", "admin", "en", "U0TBNADMIN", "admin"),
            new DemoPerson(TAKAHASHI, "Daiki Takahashi", "takahashi", "ja", "U0TBNTAKAHASHI", "responder"),
            new DemoPerson(ITO, "Mei Ito", "ito", "ja", "U0TBNITO", "responder"),
            new DemoPerson(WATANABE, "Sho Watanabe", "watanabe", "ja", "U0TBNWATANABE", "responder"));

    /** A demo phone (for sms and voice) and ntfy topic (on {@code toban.demo.ntfy-url}). */
    public record WakingDemo(String phone, String pushTopic) {
    }

    /**
     * Who can be woken at night (issue 18): Sato (Server) and Tanaka (Mobile) have a verified push topic, SMS
     * and voice number; the other on-calls have only Slack and email, so the board shows the reachability
     * flag for whoever of them is on call.
     */
    public static final java.util.Map<UUID, WakingDemo> WAKING = java.util.Map.of(
            SATO, new WakingDemo("+819012340001", "toban-sato-7f3k9q"),
            TANAKA, new WakingDemo("+819012340003", "toban-tanaka-2m8x4d"));

    /** The people of the Server rotation, in order. */
    public static final List<UUID> SERVER_ROTATION = List.of(SATO, SUZUKI, TAKAHASHI, ITO);
    /** The people of the Mobile rotation, in order. */
    public static final List<UUID> MOBILE_ROTATION = List.of(TANAKA, WATANABE);

    /** A Monday: the first weekly handoff at 10:00 Asia/Tokyo. */
    static final LocalDate ROTATION_START = LocalDate.of(2024, 1, 1);

    private final DemoConfig config;
    private final EntityManager em;
    private final PersonRepository people;
    private final TeamRepository teams;
    private final ScheduleRepository schedules;
    private final EscalationPolicyRepository policies;
    private final PersonService personService;
    private final TeamService teamService;
    private final ScheduleService scheduleService;
    private final EscalationPolicyService policyService;

    public DemoDataService(DemoConfig config, EntityManager em, PersonRepository people, TeamRepository teams,
                           ScheduleRepository schedules, EscalationPolicyRepository policies, PersonService personService,
                           TeamService teamService, ScheduleService scheduleService,
                           EscalationPolicyService policyService) {
        this.config = config;
        this.em = em;
        this.people = people;
        this.teams = teams;
        this.schedules = schedules;
        this.policies = policies;
        this.personService = personService;
        this.teamService = teamService;
        this.scheduleService = scheduleService;
        this.policyService = policyService;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            int created = QuarkusTransaction.requiringNew().call(this::createIfAbsent);
            LOG.infof("Demo data: %d entities created", created);
        }
    }

    /** Creates whatever demo entity is missing; returns how many were created. */
    public int createIfAbsent() {
        em.createNativeQuery("select pg_advisory_xact_lock(?1)").setParameter(1, LOCK_KEY).getSingleResult();
        int created = 0;
        for (DemoPerson p : PEOPLE) {
            created += person(p);
        }
        if (teams.findByIdOptional(TEAM_SERVER).isEmpty()) {
            teamService.create(new TeamRequest("Server", "#team-server", "Asia/Tokyo",
                    List.of(SATO, SUZUKI, TAKAHASHI, ITO, ADMIN)), TEAM_SERVER);
            created++;
        }
        if (teams.findByIdOptional(TEAM_MOBILE).isEmpty()) {
            teamService.create(new TeamRequest("Mobile", "#team-mobile", "Asia/Tokyo", List.of(TANAKA, WATANABE)),
                    TEAM_MOBILE);
            created++;
        }
        if (schedules.findByIdOptional(SCHEDULE_SERVER).isEmpty()) {
            scheduleService.create(weekly(TEAM_SERVER, "Server", "server", SERVER_ROTATION, 2),
                    SCHEDULE_SERVER, List.of(LAYER_SERVER));
            created++;
        }
        if (schedules.findByIdOptional(SCHEDULE_MOBILE).isEmpty()) {
            scheduleService.create(weekly(TEAM_MOBILE, "Mobile", "mobile", MOBILE_ROTATION, 1),
                    SCHEDULE_MOBILE, List.of(LAYER_MOBILE));
            created++;
        }
        created += policy(POLICY_SERVER, "Server default", SCHEDULE_SERVER);
        created += policy(POLICY_MOBILE, "Mobile default", SCHEDULE_MOBILE);
        return created;
    }

    private int person(DemoPerson demo) {
        if (people.findByIdOptional(demo.id()).isPresent()) {
            return 0;
        }
        create(demo, WAKING.get(demo.id()));
        return 1;
    }

    /**
     * One demo person: Slack DM at once, email after 5 minutes, and with {@code wake} push, SMS and a call.
     * Public for ReachabilityTest.
     */
    public void create(DemoPerson demo, WakingDemo wake) {
        String username = demo.username();
        UUID slack = UUID.nameUUIDFromBytes(("demo-slack-" + username).getBytes());
        UUID email = UUID.nameUUIDFromBytes(("demo-email-" + username).getBytes());
        List<ContactMethodRequest> methods = new java.util.ArrayList<>(List.of(
                new ContactMethodRequest(slack, "slack", demo.slackUserId(), "Slack DM"),
                new ContactMethodRequest(email, "email", demo.email(), "Work email")));
        List<NotificationRuleRequest> rules = new java.util.ArrayList<>(List.of(
                new NotificationRuleRequest(null, slack, 0), new NotificationRuleRequest(null, email, 5)));
        List<UUID> waking = new java.util.ArrayList<>();
        if (wake != null) {
            // push at once, a text after a minute, a call after two: for high-urgency pages only
            UUID push = UUID.nameUUIDFromBytes(("demo-push-" + username).getBytes());
            UUID sms = UUID.nameUUIDFromBytes(("demo-sms-" + username).getBytes());
            UUID voice = UUID.nameUUIDFromBytes(("demo-voice-" + username).getBytes());
            String ntfy = config.ntfyUrl().endsWith("/") ? config.ntfyUrl() : config.ntfyUrl() + "/";
            methods.add(new ContactMethodRequest(push, "push", ntfy + wake.pushTopic(), "ntfy on my phone"));
            methods.add(new ContactMethodRequest(sms, "sms", wake.phone(), "Mobile (SMS)"));
            methods.add(new ContactMethodRequest(voice, "voice", wake.phone(), "Mobile (call)"));
            rules.add(new NotificationRuleRequest(null, push, 0, "high"));
            rules.add(new NotificationRuleRequest(null, sms, 1, "high"));
            rules.add(new NotificationRuleRequest(null, voice, 2, "high"));
            waking.addAll(List.of(push, sms, voice));
        }
        personService.create(new PersonRequest(demo.name(), username, demo.email(), demo.slackUserId(), "Asia/Tokyo",
                demo.locale(), null, methods, rules), demo.id());
        // demo numbers and topics cannot receive a code: they start verified, as if their owner had typed it
        personService.markVerified(demo.id(), waking);
    }

    private static ScheduleRequest weekly(UUID team, String name, String role, List<UUID> participants, int slots) {
        return new ScheduleRequest(team, name, role, "Asia/Tokyo",
                "運用当番: weekly rotation, handoff Monday 10:00 JST",
                List.of(new LayerRequest(null, "Weekly", 1, participants, slots, new ShiftLength(1, ShiftUnit.WEEKS),
                        LocalTime.of(10, 0), ROTATION_START, List.of())));
    }

    private int policy(UUID id, String name, UUID schedule) {
        if (policies.findByIdOptional(id).isPresent()) {
            return 0;
        }
        policyService.create(new PolicyRequest(name, "Page the on-call engineer (the IC), then the admin", 1,
                List.of(new LevelRequest(15, List.of(new TargetRequest("schedule", schedule))),
                        new LevelRequest(15, List.of(new TargetRequest("person", ADMIN))))), id);
        return 1;
    }
}
