/* eslint-disable */
// DO NOT EDIT: generated from the JSON Schemas by `npm run gen`.
/**
 * The operator of the hub: contours, address pools, edge hosts, accepted crypto and policy (inventory/operator.yaml).
 */
export interface OperatorFile {
  /**
   * Version of the inventory contract. 1 (the default) or 2, which adds gateways, hub, timeZone, certificateAuthorities, edoTargets, calendar, policy.gostBrowsers, the support desks per connection (operator.support.sed, portal, hours), and in participant files the СЭД stages, the registration status 'approved' with its dates, the new organisation kinds and participants without a channel and a contact's position; a version-1 inventory keeps validating.
   */
  version?: 1 | 2;
  operator: Operator;
  contours: Contours;
  /**
   * Pool for /31 point-to-point links of leased lines (link: auto).
   */
  linkPool: string;
  /**
   * Hosts where firewall rules are applied over SSH.
   *
   * @minItems 1
   */
  edges: [Edge, ...Edge[]];
  /**
   * Certified crypto products (СКЗИ) the operator accepts (Регламент ПУ ТО, п. 9.1).
   */
  cryptoProducts: CryptoProduct[];
  policy: Policy;
  gateways?: Gateways;
  hub?: Hub;
  /**
   * Language of the reports, the CLI's human output and the status screen: ru (default) or en; --lang overrides it per command. JSON, JUnit and metrics are language-neutral.
   */
  language?: 'ru' | 'en';
  reports?: Reports;
  /**
   * IANA time zone of the operator: 'today' for date checks and dates in reports. Default Asia/Yekaterinburg (Tyumen).
   */
  timeZone?: string;
  calendar?: Calendar;
  /**
   * Accredited certification authorities whose qualified certificates signers may hold (63-ФЗ). A certificate matches by issuer name and, when keyIds are listed, by its authority key identifier; no signature chain is verified (GOST signatures).
   */
  certificateAuthorities?: CertificateAuthority[];
  /**
   * Target shares (percent) of legally significant electronic document exchange by year (Организация ЮЗЭДО: 2021 — 11 … 2030 — 100); the coverage report shows the gap to the year of --at. Default: the series of that document.
   */
  edoTargets?: {
    /**
     * This interface was referenced by `undefined`'s JSON-Schema definition
     * via the `patternProperty` "^20[0-9]{2}$".
     */
    [k: string]: number;
  };
}
/**
 * The operating organisation.
 */
export interface Operator {
  /**
   * Official name of the operator.
   */
  name: string;
  support: Support;
}
/**
 * The operator's support desks, one per connection: sed, the СЭД's desk (Регламент подключения к СЭД: the support requests are sent to it), and portal, the portal's own desk (Регламент ПУ ТО, п. 8.2: incident notes; its hours count the reaction time of п. 8.4). Each is a complete desk of its own (email, phone, hours). The email, phone and hours written directly under support are the desk of every connection that has none of its own: a file written before the desks were split keeps one desk for both. Without hours, the portal's desk keeps those of п. 8.6 (Monday–Friday 08:00–20:00, Saturday 09:00–17:00).
 */
export interface Support {
  /**
   * Support e-mail of the desk both connections share unless sed or portal gives its own; required unless both do.
   */
  email?: string;
  /**
   * Support phone of the shared desk.
   */
  phone?: string;
  hours?: DeskHours;
  sed?: SupportDesk;
  portal?: SupportDesk;
}
/**
 * When a desk takes requests, in the operator's time zone, per kind of day: HH:MM-HH:MM, from before to (24:00 allowed). A kind of day left out is closed (at least one must be open); a calendar holiday is closed whatever the weekday, a weekend day the calendar makes a working day has the weekdays' hours. Default for the portal's desk: п. 8.6 of Регламент ПУ ТО, weekdays 08:00-20:00, saturday 09:00-17:00.
 */
export interface DeskHours {
  /**
   * Hours Monday to Friday (and on a transferred working day), e.g. 08:00-20:00.
   */
  weekdays?: string;
  /**
   * Hours on a Saturday that is no holiday, e.g. 09:00-17:00.
   */
  saturday?: string;
  /**
   * Hours on a Sunday that is no holiday.
   */
  sunday?: string;
}
/**
 * One connection's support desk (operator.support.sed or operator.support.portal): where its requests go and when it takes them.
 */
export interface SupportDesk {
  /**
   * The desk's e-mail (the СЭД's: the support requests name it; the portal's: the incident note is addressed to it, Регламент ПУ ТО, п. 8.2).
   */
  email: string;
  /**
   * The desk's phone.
   */
  phone?: string;
  hours?: DeskHours;
}
/**
 * Exactly the two contours of the bus: test and prod.
 */
export interface Contours {
  test: Contour;
  prod: Contour;
}
/**
 * One contour of the bus (test or prod): its management API and gateway address pool.
 */
export interface Contour {
  bus: Bus;
  /**
   * Addresses of the contour's gateway containers are allocated here.
   */
  gatewayPool: string;
}
/**
 * Management API of the contour's bus.
 */
export interface Bus {
  /**
   * Base URL of the management API.
   */
  url: string;
  /**
   * Virtual host of the contour.
   */
  vhost: string;
  /**
   * Name of the secret with the bus administrator's credentials.
   */
  credentials: string;
}
export interface Edge {
  /**
   * Edge id, referenced by participants' channel.edge.
   */
  id: string;
  /**
   * What the edge stands for.
   */
  kind: 'vipnet-coordinator' | 'leased-line-router';
  ssh: SshTarget;
  /**
   * The edge's address towards the gateways.
   */
  transit: string;
  circuits?: Circuits;
  vipnet?: CoordinatorConfig;
}
/**
 * How Prichal reaches the edge.
 */
export interface SshTarget {
  /**
   * Host name or IPv4 address of the SSH server.
   */
  host: string;
  /**
   * SSH port.
   */
  port: number;
  /**
   * SSH user.
   */
  user: string;
  /**
   * Pinned host key fingerprint, 'SHA256:' followed by unpadded base64 as printed by ssh-keygen -lf.
   */
  hostKey: string;
  /**
   * Name of the secret that holds the private key (never the key itself).
   */
  credentials: string;
}
/**
 * How leased-line circuits arrive at this edge; with it Prichal configures each leased-line participant's link (the edge's /31 address from the plan, the interface up) and the routes to exactly its declared networks via the participant's end. Without it Prichal configures no link here and drift still checks the routes and link addresses.
 */
export interface Circuits {
  /**
   * 'vlan': each circuit is an 802.1Q sub-interface <uplink>.<vlan> Prichal creates (the participant's leasedLine.vlan is required); 'interface': one interface per circuit, named by the participant's leasedLine.interface or derived from the circuit id.
   */
  mode: 'vlan' | 'interface';
  /**
   * vlan mode: the interface carrying the tagged circuits.
   */
  uplink?: string;
}
/**
 * The hub's ViPNet coordinator on this edge (kind vipnet-coordinator), for the read-only audit of its tunnels (CH-6 to CH-9). Prichal never writes the coordinator's configuration: it reads the file over the edge's SSH session and renders what the ViPNet administrator must configure.
 */
export interface CoordinatorConfig {
  /**
   * Absolute path of the coordinator's iplir.conf on the edge, readable by the edge's SSH user.
   */
  config: string;
  /**
   * The coordinator's own ViPNet node id (32-bit hex such as 0x1A0E0001): its section is the coordinator's, not a participant's.
   */
  node: string;
  /**
   * The lowest ViPNet software version policy accepts in a node's section (such as 4.5.3); an older one is a warning (CH-9).
   */
  minVersion?: string;
}
export interface CryptoProduct {
  /**
   * Product id, referenced by channel.vipnet.product.
   */
  id: string;
  /**
   * Product name.
   */
  name: string;
  /**
   * Conformity certificate number (ФСБ).
   */
  certificate: string;
  /**
   * Last day the conformity certificate is valid.
   */
  validUntil: string;
}
/**
 * Operator policy checked by validate and audit.
 */
export interface Policy {
  /**
   * TCP ports participant endpoints may use.
   *
   * @minItems 1
   */
  allowedPorts: [number, ...number[]];
  /**
   * How old, in days, the latest drift result may be for the connection act to state the channel from it (п. 9); older, the act says the channel was not checked. Default 7.
   */
  channelEvidenceDays?: number;
  /**
   * Days before a signer certificate expires when audit starts warning: a number (30) or a list of reminders ([30, 14, 7]; the largest starts the warning, each one reached is named).
   */
  certificateWarningDays: number | [number, ...number[]];
  /**
   * Minimum CryptoPro CSP version (Требования к АРМ пользователя СЭД: 4.0.9963).
   */
  minCryptoPro: string;
  /**
   * Participant networks and endpoints may use public (globally routed) addresses; without it each is a warning (address-public). Special-purpose addresses are always errors.
   */
  allowPublicAddresses?: boolean;
  /**
   * Browsers with GOST TLS support the operator accepts on workstations. Default: chromium-gost, yandex.
   *
   * @minItems 1
   */
  gostBrowsers?: [string, ...string[]];
  channels?: ChannelPolicy;
}
/**
 * CH-1, the operator's reading of Регламент ПУ ТО, п. 9.1 and 3.1.6.1. Default: ViPNet with any product of cryptoProducts over any network, or a dedicated leased line (the provider's dedicated network is no public network, so no СКЗИ is required by п. 9.1's second sentence); internet without VPN refused.
 */
export interface ChannelPolicy {
  /**
   * Ids of cryptoProducts accepted as the participant's ViPNet end (п. 3.1.6.1 names the ПАК ViPNet Coordinator). Default: all of cryptoProducts.
   */
  vipnetProducts?: string[];
  /**
   * A dedicated leased line is accepted without СКЗИ. Default true.
   */
  leasedLine?: boolean;
  /**
   * An internet channel without VPN is accepted. Default false: п. 9.1 requires a VPN.
   */
  internet?: boolean;
}
/**
 * How the participants' gateway containers run: the image, per contour the Docker network they are attached to on the first (primary) host and, optionally, the Docker hosts they are placed on. Drift expects exactly these; the Pulumi program (gateways: pulumi) and an external provisioner start them so.
 */
export interface Gateways {
  /**
   * Image reference of the gateway containers, e.g. prichal/gateway:bookworm-1 (from the operator's own registry or built locally; never pulled from the internet).
   */
  image: string;
  network: GatewayNetworks;
  /**
   * Docker hosts the gateways are placed on, the first being the primary: its gateways sit on each contour's network, addresses from the gateway pool outside every slice. Every other host holds a routed slice of each contour's pool, reached via its transit address. Each participant's gateways (both contours) run on one host, recorded in allocations.yaml. Default: one host, 'local', the local Docker socket.
   *
   * @minItems 1
   */
  hosts?: [GatewayHost, ...GatewayHost[]];
}
/**
 * Docker network of each contour's gateways.
 */
export interface GatewayNetworks {
  /**
   * Network of the test contour's gateways.
   */
  test: string;
  /**
   * Network of the prod contour's gateways.
   */
  prod: string;
}
export interface GatewayHost {
  /**
   * Host id, recorded per participant in allocations.yaml (gatewayHosts).
   */
  id: string;
  /**
   * Docker Engine endpoint: unix:///var/run/docker.sock or ssh://user@host:port.
   */
  docker: string;
  /**
   * Pinned SSH host key fingerprint of an ssh:// endpoint, 'SHA256:' followed by unpadded base64 as printed by ssh-keygen -lf.
   */
  hostKey?: string;
  /**
   * Name of the secret that holds the SSH private key of an ssh:// endpoint (never the key itself).
   */
  credentials?: string;
  /**
   * How many participants' gateways the host takes; without it, unlimited.
   */
  capacity?: number;
  /**
   * The host's address towards the edges and the hub: its slices are routed via it. Required for every host but the first; on the first (the primary), optional: given, the contours' whole pools are routed via it (the slices, more specific, still go to their hosts).
   */
  transit?: string;
  slices?: GatewayHostSlices;
}
/**
 * Per contour, the part of the contour's gatewayPool this host's gateways take addresses from (every host but the first).
 */
export interface GatewayHostSlices {
  /**
   * Slice of contours.test.gatewayPool.
   */
  test?: string;
  /**
   * Slice of contours.prod.gatewayPool.
   */
  prod?: string;
}
/**
 * The hub host on the gateways' side, holding the gateway addresses: connectivity probes start here, over SSH like the edges, and only when an engineer asks.
 */
export interface Hub {
  ssh: SshTarget;
}
/**
 * How the reports point at the inventory's files.
 */
export interface Reports {
  /**
   * The web address of the inventory folder in its repository, ending in /, such as https://git.example/ops/inventory/blob/main/inventory/: the HTML report links each finding's file there (the file's path and #L with its line appended). Without it a link leads to the file relative to the report's own folder, which opens where the reports sit beside the inventory they were made from.
   */
  repository?: string;
}
/**
 * The production calendar for working-day deadlines (Регламент ПУ ТО, п. 3.3, 8.4) and the support desks' hours: Monday to Friday are working days except the holidays listed; a weekend day listed in workdays is a working day (a transferred one). A listed holiday closes the desks whatever day of the week it falls on, so a desk open on Saturdays (п. 8.6) does not count a Saturday public holiday.
 */
export interface Calendar {
  /**
   * Every non-working day the desks observe, whatever day of the week: the public holidays (Трудовой кодекс РФ, ст. 112: 1–8 January, 23 February, 8 March, 1 and 9 May, 12 June, 4 November), those on a Saturday or Sunday too, and the days off moved onto Monday–Friday.
   */
  holidays?: string[];
  /**
   * Weekend days that are working days (transferred).
   */
  workdays?: string[];
}
export interface CertificateAuthority {
  /**
   * The CA's name as it appears in the issuer's CN, e.g. Федеральное казначейство.
   */
  name: string;
  /**
   * Subject key identifiers (hex) of the CA's issuing keys; a signer certificate's authorityKeyId must be one of them.
   */
  keyIds?: string[];
  /**
   * Last day of the accreditation, if limited.
   */
  accreditedUntil?: string;
}

/**
 * The channel from the participant to the hub (Регламент ПУ ТО, п. 3.1.6.1, 9).
 */
export type Channel = {
  /**
   * vipnet: ViPNet VPN through a coordinator; leased-line: dedicated line (Регламент ПУ ТО, Приложение 10); internet: allowed in the file but flagged by audit (CH-1).
   */
  type: 'vipnet' | 'leased-line' | 'internet';
  /**
   * Id of the operator edge host (operator.yaml edges) that filters this participant's traffic.
   */
  edge: string;
  vipnet?: Vipnet;
  leasedLine?: LeasedLine;
};

/**
 * One participant organisation (inventory/participants/<id>.yaml). Two lives kept apart: its СЭД connection (sed, agreements, signers, workstations; Регламент подключения к СЭД) and, when it has a network channel, its portal/bus connection (channel, networks, endpoints, registrations; Регламент ПУ ТО). A participant that uses the hosted СЭД from a workstation has no channel, networks, endpoints or registrations.
 */
export interface Participant {
  /**
   * Stable identifier: lower-case letters, digits and '-'; must equal the file name without .yaml.
   */
  id: string;
  /**
   * Full official name of the organisation (form field 1).
   */
  name: string;
  /**
   * Kind of organisation, from the participant list of Регламент подключения к СЭД. Regional: executive-body (исполнительный орган власти), state-body (иной государственный орган), state-institution, state-unitary-enterprise (ГУП), state-nonprofit (АНО) — the last three coordinated by an executive body and signing no joining agreement (сноска). Municipal: municipal-district (администрация муниципального района), city-district (администрация городского округа), urban-settlement (г.п.), rural-settlement (с.п.) — settlements coordinated by their municipal district —, local-government (another body of local self-government), municipal-institution, municipal-unitary-enterprise (МУП), municipal-nonprofit (АНО) — coordinated by a body of local self-government. other: another organisation joining by agreement.
   */
  kind:
    | 'executive-body'
    | 'state-body'
    | 'state-institution'
    | 'state-unitary-enterprise'
    | 'state-nonprofit'
    | 'municipal-district'
    | 'city-district'
    | 'urban-settlement'
    | 'rural-settlement'
    | 'local-government'
    | 'municipal-institution'
    | 'municipal-unitary-enterprise'
    | 'municipal-nonprofit'
    | 'other';
  /**
   * Taxpayer number (ИНН), 10 digits for organisations.
   */
  inn?: string;
  /**
   * District (муниципальный район or городской округ) the participant belongs to; the coverage statistics group by it (Организация ЮЗЭДО). When absent it is taken from the coordinating body, and a municipal or city district is its own district.
   */
  district?: string;
  /**
   * Id of the participant that coordinates and controls this one (form field 4). Required for state and municipal institutions, unitary enterprises, non-profits and rural settlements; its kind is checked: an executive body for regional ones, a body of local self-government for municipal ones, a municipal district for settlements.
   */
  coordinatedBy?: string;
  /**
   * Full name of the head of the organisation (form field 2).
   */
  head: string;
  clerk: Contact;
  technical: Contact;
  agreements?: Agreements;
  sed: Sed;
  workstations: Workstations;
  /**
   * People who sign documents in the СЭД with a qualified certificate (63-ФЗ; Регламент подключения к СЭД, п. 1.2, 2.3): at least the head and the clerk. `prichal certificate import` fills a certificate from its file.
   */
  signers: Signer[];
  channel?: Channel;
  /**
   * IPv4 networks of the participant reachable through the channel (CIDR, host bits zero).
   *
   * @minItems 1
   */
  networks?: [string, ...string[]];
  /**
   * Web services of the participant that the hub calls.
   */
  endpoints?: Endpoint[];
  registrations?: Registrations;
  /**
   * Services the participant provides on the portal (Регламент ПУ ТО, разделы 4–7), each with its options, its web service and the results of its test (п. 4.6–4.7, 5.2, 6.6, 7.5–7.6). Production needs every declared service tested.
   */
  services?: Service[];
  /**
   * Accepted exceptions to audit and drift requirements for this participant; each expires and then stops waiving.
   */
  waivers?: Waiver[];
}
/**
 * A person: the clerk who registers documents (form field 3) or the technical contact for the channel and tests (the technical specialist of Регламент ПУ ТО, п. 8.1).
 */
export interface Contact {
  /**
   * Full name.
   */
  name: string;
  /**
   * Phone number, e.g. +7 3452 00-00-00.
   */
  phone?: string;
  /**
   * E-mail address.
   */
  email?: string;
  /**
   * Position (должность), e.g. инженер-программист. The incident note names the technical contact's (Регламент ПУ ТО, п. 8.2: «контактные данные, включая должность»), and is refused without it.
   */
  position?: string;
}
/**
 * Dates of the signed agreements (Регламент подключения к СЭД, п. 1.1, 2.2), the first stage of the СЭД connection; not signed by executive bodies, state unitary enterprises, state institutions and non-profits coordinated by an executive body (сноска).
 */
export interface Agreements {
  /**
   * Date of the statement of joining the information-exchange agreement.
   */
  joining?: string;
  /**
   * Date of the personal-data processing agreement.
   */
  personalData?: string;
}
/**
 * The СЭД connection (Регламент подключения к СЭД): the path (mode), the system and the dated stages. Connected to the СЭД means the last stage of the path is done: credentialsIssued (operator mode, п. 1.5) or commissioned (connector mode, п. 2.5).
 */
export interface Sed {
  /**
   * operator: uses the operator's СЭД (Регламент подключения к СЭД, п. 1); connector: own СЭД through the connector (Регламент подключения к СЭД, п. 2).
   */
  mode: 'operator' | 'connector';
  /**
   * The СЭД used. Operator mode: 'Directum RX' (СЭД ПТО, for executive and other state bodies) or 'Бюрократ' (СЭД МО/ОУ, for municipalities, schools and hospitals; Требования к АРМ пользователя СЭД). Connector mode: the name of the participant's own system.
   */
  system?: string;
  /**
   * Registration journals and their number formats (form fields 5 and 6).
   */
  journals?: Journal[];
  /**
   * Date of the training at ГАУ ДО ТО «РИО-Центр» (п. 1.3, form field 7); operator mode only — the connector path (п. 2) has no training.
   */
  training?: string;
  /**
   * Date the support request was sent: in operator mode the request of п. 1.4 (after the training), in connector mode the request of п. 2.4 (technical works finished, with switchDate).
   */
  requestSent?: string;
  /**
   * Operator mode: date the operator sent the credentials for the СЭД (п. 1.5) — the participant is connected from this date.
   */
  credentialsIssued?: string;
  /**
   * Connector mode: date the participant finished its connector to the interaction subsystem (п. 2.1).
   */
  connectorReady?: string;
  /**
   * Connector mode: date of switching the interaction from the test to the working mode, given in the п. 2.4 request.
   */
  switchDate?: string;
  /**
   * Connector mode: date the operator put the connector into operation (п. 2.5) — the participant is connected from this date.
   */
  commissioned?: string;
  /**
   * Date of connection to the federal cloud СЭД, ГИС «ТОР СЭД» (Организация ЮЗЭДО); counts as connected to ЭДО and fills the settlements table.
   */
  torSed?: string;
  /**
   * Executive bodies only: date of connection to МЭДО, the federal interagency document exchange.
   */
  medo?: string;
}
export interface Journal {
  /**
   * Journal name, e.g. Входящие.
   */
  name: string;
  /**
   * Number format; {n:5} is a zero-padded sequence number of 5 digits.
   */
  numberFormat: string;
}
/**
 * Workstation baseline (Требования к АРМ пользователя СЭД): CryptoPro CSP, root certificates, the revocation list, a browser with GOST TLS.
 */
export interface Workstations {
  /**
   * CryptoPro CSP version, e.g. 5.0.13000; at least policy.minCryptoPro.
   */
  cryptoPro: string;
  /**
   * Browser with GOST TLS support installed, e.g. chromium-gost (recommended) or yandex; must be in policy.gostBrowsers.
   */
  browser?: string;
  /**
   * The root certificate and the Russian root certificates for sites are installed (step 2).
   */
  rootCertificates?: boolean;
  /**
   * The certificate revocation list (CRL) is installed (step 2).
   */
  crl?: boolean;
}
export interface Signer {
  /**
   * Full name of the signer.
   */
  name: string;
  /**
   * Role of the signer in the organisation.
   */
  role: 'head' | 'clerk' | 'deputy' | 'other';
  certificate: Certificate;
}
/**
 * Qualified signature certificate.
 */
export interface Certificate {
  /**
   * Serial number, hexadecimal.
   */
  serial: string;
  /**
   * SHA-1 thumbprint, 40 hexadecimal digits.
   */
  thumbprint: string;
  /**
   * Issuing certification authority's name (the issuer's CN); must name one of operator.yaml certificateAuthorities.
   */
  issuer: string;
  /**
   * First day of validity.
   */
  notBefore: string;
  /**
   * Last day of validity.
   */
  notAfter: string;
  /**
   * Authority key identifier of the issuing CA's key (hex); checked against the CA's keyIds.
   */
  authorityKeyId?: string;
  /**
   * The person the certificate is issued to, as its subject names them (SN and G, else CN); `prichal certificate import` writes it. SIG-1: a head's certificate must be held by the participant's head, a clerk's by clerk.name (compared ignoring case, ё/е, spaces and quotes). Without it, the signer's name stands for the holder.
   */
  holder?: string;
}
/**
 * ViPNet details; required when type is vipnet.
 */
export interface Vipnet {
  /**
   * ViPNet network number (decimal).
   */
  network: number;
  /**
   * ViPNet node id, 32-bit hex such as 0x1A0E000A; its upper 16 bits are the network number.
   */
  node: string;
  /**
   * Id of the certified crypto product (operator.yaml cryptoProducts).
   */
  product: string;
}
/**
 * Leased line details; required when type is leased-line. provider, circuit and application are required by the regulation (leased-line-incomplete).
 */
export interface LeasedLine {
  /**
   * Telecom provider.
   */
  provider?: string;
  /**
   * Circuit id given by the provider.
   */
  circuit?: string;
  /**
   * VLAN id on the operator side.
   */
  vlan?: number;
  /**
   * The circuit's interface on the edge when the edge takes one interface per circuit (operator.yaml edges[].circuits.mode 'interface'); default: derived from the circuit id ('ll' and its letters and digits, shortened with a hash beyond 15 characters).
   */
  interface?: string;
  /**
   * Bandwidth in Mbit/s.
   */
  bandwidthMbps?: number;
  /**
   * Point-to-point link: 'auto' allocates a /31 from operator linkPool; or an explicit /31 CIDR inside linkPool.
   */
  link?: string;
  /**
   * Reference to the application of Регламент ПУ ТО, Приложение 10, e.g. 'Прил. 10 № 45 от 2024-02-10'.
   */
  application?: string;
}
export interface Endpoint {
  /**
   * Endpoint id, unique within the participant; referenced by registrations.
   */
  id: string;
  /**
   * What the endpoint is for, e.g. portal-intake, sed-connector. Documents name portal-intake, portal-status, portal-appointment, portal-payment, portal-rating and sed-connector in Russian; any other purpose needs a title.
   */
  purpose: string;
  /**
   * What the endpoint is for, in Russian, as documents print it (e.g. «приём заявлений о выдаче справок»); required by the documents when the purpose is not one they name themselves.
   */
  title?: string;
  /**
   * IPv4 address inside one of the participant's networks.
   */
  address: string;
  /**
   * TCP port; must be in policy.allowedPorts.
   */
  port: number;
  /**
   * Application protocol.
   */
  protocol: 'https' | 'http';
  /**
   * URL path of the service: '/' followed by letters, digits and . _ ~ % / - (it is written into gateway configurations).
   */
  path?: string;
}
/**
 * Registrations of the participant's web services in the bus contours, each with its lifecycle (requested → approved → registered → tested); production only after the test registration is tested (Регламент ПУ ТО, п. 4.6).
 */
export interface Registrations {
  test?: Registration;
  prod?: Registration;
}
/**
 * Registration of the participant's web services in one bus contour.
 */
export interface Registration {
  /**
   * Mnemonic of the information system in the contour; also the participant's bus user. Unique per contour.
   */
  mnemonic: string;
  /**
   * Message types (виды сведений) as namespace#rootElement; one bus binding each.
   */
  messageTypes?: string[];
  /**
   * Ids of the participant's endpoints registered in this contour.
   *
   * @minItems 1
   */
  endpoints: [string, ...string[]];
  /**
   * Where the registration stands (Регламент ПУ ТО): requested — the request letter is sent (п. 3.1.3); approved — the portal's owner approved and the technical requirements are issued (п. 3.1.4–3.1.5); registered — the web service is registered in the contour (п. 4.3); tested — the service test passed (п. 4.6). Only approved or later registrations are provisioned.
   */
  status: 'requested' | 'approved' | 'registered' | 'tested';
  /**
   * Date the request letter was sent (п. 3.1.3, Приложение 2); the operator replies within 10 working days (п. 3.3).
   */
  requested?: string;
  /**
   * Date of the portal owner's approval (п. 3.1.4–3.1.5).
   */
  approved?: string;
  /**
   * Date the web service was registered in this contour (п. 4.3).
   */
  registered?: string;
  /**
   * Date the service test passed (п. 4.6; its protocol: Регламент ПУ ТО, Приложение 9).
   */
  tested?: string;
  /**
   * Date the registration goes into production (the connection act, Регламент ПУ ТО, Приложение 3). Not the СЭД connector's switch date, which is sed.switchDate.
   */
  switchDate?: string;
}
export interface Service {
  /**
   * Service code in the federal register (19 digits).
   */
  code: string;
  /**
   * Service name.
   */
  name: string;
  /**
   * Portal options of the service: appointment (запись на приём, раздел 5), payment (оплата, раздел 6), rating (оценка, раздел 7), status (status updates; always tested, п. 4.6).
   */
  options?: ('appointment' | 'rating' | 'status' | 'payment')[];
  appointment?: Appointment;
  webService?: WebService;
  /**
   * Results of the service test recorded by the engineer, one entry per step and run: the form submitted, the statuses updated, and each option (п. 4.6, 5.2, 6.4–6.6, 7.5). The latest entry of a step counts.
   */
  tests?: ServiceTestStep[];
}
/**
 * The appointment option (раздел 5): where appointments come from.
 */
export interface Appointment {
  /**
   * terminal (an appointment terminal) or system (the information system), п. 5.1.
   */
  source: 'terminal' | 'system';
}
/**
 * The web service that receives applications (п. 4.1–4.2).
 */
export interface WebService {
  /**
   * Date the wsdl and xsd requirements were received from the portal operator (п. 4.1).
   */
  wsdlReceived?: string;
  /**
   * Date the client of the portal's «Модуль событий» was finished (п. 4.2).
   */
  eventsClient?: string;
}
export interface ServiceTestStep {
  /**
   * form: an application submitted through the form; statuses: its statuses updated; appointment, payment, rating: that option.
   */
  step: 'form' | 'statuses' | 'appointment' | 'payment' | 'rating';
  /**
   * Contour tested in; default test (п. 4.6 tests in the test contour; the appointment is tested again in production, п. 5.2).
   */
  contour?: 'test' | 'prod';
  /**
   * Date of the test.
   */
  date: string;
  /**
   * The outcome.
   */
  result: 'passed' | 'failed';
  /**
   * Who tested (name, organisation).
   */
  tester: string;
  /**
   * What was observed, e.g. the application number.
   */
  note?: string;
}
export interface Waiver {
  /**
   * Requirement id from the catalogue.
   */
  requirement:
    | 'CH-1'
    | 'CH-2'
    | 'CH-3'
    | 'CH-4'
    | 'CH-5'
    | 'CH-6'
    | 'CH-7'
    | 'CH-8'
    | 'CH-9'
    | 'FW-1'
    | 'FW-2'
    | 'FW-3'
    | 'GW-1'
    | 'BUS-1'
    | 'REG-1'
    | 'BUS-2'
    | 'SIG-1'
    | 'SED-1'
    | 'ORG-1'
    | 'ORG-2'
    | 'WS-1';
  /**
   * Why the finding is accepted.
   */
  reason: string;
  /**
   * Who accepted it and answers for it.
   */
  owner: string;
  /**
   * Last day the waiver applies; afterwards the finding counts again.
   */
  expires: string;
}
