/* eslint-disable */
// DO NOT EDIT: generated from the JSON Schemas by `npm run gen`.
/**
 * Requirement id from the catalogue.
 */
export type Requirement =
  | 'INV-1'
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
 * Result of prichal audit / drift (the *.json report), version 1. Every other report format is rendered from it.
 */
export interface CheckResult {
  /**
   * Format version; bumped on incompatible changes.
   */
  version: 1;
  /**
   * audit: inventory requirements; drift: live requirements; all: both (nightly mode).
   */
  kind: 'audit' | 'drift' | 'all';
  /**
   * When the run finished.
   */
  generatedAt: string;
  /**
   * Date the inventory requirements were evaluated at.
   */
  at: string;
  /**
   * Participant ids covered.
   */
  participants: string[];
  /**
   * Requirement ids evaluated.
   */
  requirements: Requirement[];
  /**
   * Unwaived findings, errors and warnings.
   */
  findings: Finding[];
  /**
   * Findings covered by a valid waiver (each with its waiver).
   */
  waived: Finding[];
  /**
   * What could not be read; never reported as compliant.
   */
  unchecked: {
    /**
     * Edge id, 'gateway host <id>' or 'bus <vhost>'.
     */
    subject: string;
    /**
     * Requirements left unchecked for it.
     */
    requirements: Requirement[];
    /**
     * Why (connection error, refused API), without secrets.
     */
    reason: string;
  }[];
  /**
   * What the live sources read, and the reads that took.
   */
  reads?: {
    /**
     * SSH commands per edge host (1: one command runs every edge source's commands).
     */
    sshCommandsPerEdge: {
      [k: string]: number;
    };
    /**
     * Docker Engine API requests, every gateway host read together (per host: dockerRequests).
     */
    dockerCalls: number;
    /**
     * Docker Engine API requests per gateway host read, by host id: one listing of its containers labelled as Prichal's gateways, then one inspection each.
     */
    dockerRequests?: {
      [k: string]: number;
    };
    /**
     * Management API requests per contour.
     */
    busRequests: {
      [k: string]: number;
    };
    /**
     * Per live source, by its name: the subjects it read and the calls that took.
     */
    sources?: {
      [k: string]: {
        /**
         * What it reads: edge ids, 'gateway host <id>', 'bus <vhost>'.
         */
        subjects: string[];
        /**
         * Subjects it could not read (listed in unchecked when it informs a requirement).
         */
        unreadable: string[];
        /**
         * Commands or API requests it took; the edge sources' commands run in one SSH command per edge.
         */
        calls: number;
      };
    };
    /**
     * Per edge read (edge-routes source): its addresses and the routes of its main table.
     */
    edgeRoutes?: {
      [k: string]: {
        /**
         * Address/prefix and interface: '10.200.0.2/24 eth7'.
         */
        addresses: string[];
        /**
         * As ip prints them, shortened: '10.210.0.0/16 via 10.200.0.254 dev eth7'.
         */
        routes: string[];
      };
    };
    /**
     * Per ViPNet coordinator edge read (edge-vipnet source): its configuration file and what it holds.
     */
    coordinators?: {
      [k: string]: {
        /**
         * [id] sections of nodes (the filter pseudo-nodes not counted).
         */
        nodes: number;
        /**
         * Tunnel lines over every node.
         */
        tunnels: number;
        /**
         * Lines the parser could not read, with their numbers (kept out of the checks).
         */
        problems: string[];
      };
    };
  };
  /**
   * Change since the previous run of the same kind (with --history / --all).
   */
  trend?: {
    /**
     * When the previous run finished.
     */
    previous?: string;
    /**
     * Findings not in the previous run.
     */
    new: number;
    /**
     * Findings of the previous run that are gone.
     */
    fixed: number;
    /**
     * Findings in both runs.
     */
    persisting: number;
    /**
     * Up to 365 runs, oldest first, for the trend chart.
     */
    history: {
      /**
       * Run time.
       */
      generatedAt: string;
      /**
       * Errors of that run.
       */
      errors: number;
      /**
       * Warnings of that run.
       */
      warnings: number;
      /**
       * Unchecked subjects of that run.
       */
      unchecked: number;
      /**
       * Findings of that run not in the run before it.
       */
      new?: number;
      /**
       * Findings of the run before it gone in that run.
       */
      fixed?: number;
      /**
       * Findings in both.
       */
      persisting?: number;
    }[];
  };
  /**
   * Counts and the exit code the run ends with.
   */
  summary: {
    /**
     * Unwaived errors.
     */
    errors: number;
    /**
     * Unwaived warnings.
     */
    warnings: number;
    /**
     * Waived findings.
     */
    waived: number;
    /**
     * Subjects not checked.
     */
    unchecked: number;
    /**
     * One-line verdict.
     */
    status: 'COMPLIANT' | 'FINDINGS' | 'PARTIAL: not everything could be checked';
    /**
     * 0 met, 1 findings, 3 not everything checked.
     */
    exitCode: 0 | 1 | 3;
  };
}
/**
 * One requirement not met.
 */
export interface Finding {
  requirement: Requirement;
  /**
   * Participant concerned; absent for host-level findings.
   */
  participant?: string;
  /**
   * The message and the fix in Russian, where the check words them, for reports in that language; the evidence too where the check composes it in words of its own (dates as ДД.ММ.ГГГГ). Every other field is the same in every language.
   */
  ru?: {
    message: string;
    fix: string;
    /**
     * The evidence in Russian; absent where the evidence quotes what was read as it is (rule text, an API object, a field's value).
     */
    evidence?: string;
  };
  /**
   * Contour concerned, for live findings.
   */
  contour?: 'test' | 'prod';
  /**
   * Object the finding is about: edge, container, bus vhost, inventory file.
   */
  subject: string;
  /**
   * Inventory findings: the participant file, relative to the inventory root.
   */
  file?: string;
  /**
   * Inventory findings: the 1-based line of the field the finding is about.
   */
  line?: number;
  /**
   * Errors fail the run; warnings do not.
   */
  severity: 'error' | 'warning';
  /**
   * What is wrong.
   */
  message: string;
  /**
   * What was read: rule text, container field, API object, inventory value.
   */
  evidence: string;
  /**
   * How to resolve it.
   */
  fix: string;
  /**
   * The waiver that covers it (waived findings only).
   */
  waiver?: {
    /**
     * Why it is accepted.
     */
    reason: string;
    /**
     * Who accepted it.
     */
    owner: string;
    /**
     * Last day it applies.
     */
    expires: string;
  };
}
