package dev.toban.system;

/** Fixed ids of the demo data (docs/architecture.md, "Demo data"). */
final class Demo {
    static final String TEAM_SERVER = "11111111-0000-4000-8000-000000000001";
    static final String TEAM_MOBILE = "11111111-0000-4000-8000-000000000002";
    static final String POLICY_SERVER = "22222222-0000-4000-8000-000000000001";
    static final String SCHEDULE_SERVER = "33333333-0000-4000-8000-000000000001";
    static final String SCHEDULE_MOBILE = "33333333-0000-4000-8000-000000000002";
    static final String SATO = "44444444-0000-4000-8000-000000000001";
    static final String SUZUKI = "44444444-0000-4000-8000-000000000002";
    static final String TANAKA = "44444444-0000-4000-8000-000000000003";
    static final String YAMADA = "44444444-0000-4000-8000-000000000004";
    static final String ADMIN = "44444444-0000-4000-8000-000000000005";
    static final String SERVICE_NEWS_API = "55555555-0000-4000-8000-000000000001";
    static final String SERVICE_TRIAGE = "55555555-0000-4000-8000-000000000003";

    private Demo() {
    }
}
