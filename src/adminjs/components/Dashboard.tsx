/**
 * The sessions dashboard (`sessionsDashboard()`, as AdminJS's `dashboard` or as a page): who is signed in now, and
 * what started and ended sessions hour by hour over the last day (a chart drawn here in SVG: no chart library to
 * bundle), and the most common browsers, devices and systems. Bundled by AdminJS, so it imports only what AdminJS
 * provides.
 */
import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { Box, Button, H2, H4, Icon, Loader, MessageBox, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient, useTranslation } from 'adminjs';
import When, { useLocale } from './When.js';

interface Share { value: string | null; sessions: number }
interface Hour { start: string; signIns: number; ended: Record<string, number> }
interface Statistics {
  activeSessions: number;
  signedInUsers: number;
  top: { browser: Share[]; device: Share[]; os: Share[] };
  shareBasis: { sessions: number; sampled: boolean };
  hours: Hour[] | null;
}
type Data = { allowed: false } | { allowed: true; at: string; statistics: Statistics };

/** The endings' reasons in the chart's order, their colours and texts; a reason not listed here is drawn grey. */
const REASONS: Array<[reason: string, color: string, key: string]> = [
  ['replaced', '#E08A00', 'singleSessionReasonReplaced'],
  ['limit', '#B35C00', 'singleSessionReasonLimit'],
  ['revoked', '#C20012', 'singleSessionReasonRevoked'],
  ['logout', '#2A9D8F', 'singleSessionReasonLogout'],
  ['credentials', '#1D6FA5', 'singleSessionReasonCredentials'],
  ['account', '#7A1F5C', 'singleSessionReasonAccount'],
  ['expired', '#8A8AA8', 'singleSessionReasonExpired'],
  ['idle', '#6B5B95', 'singleSessionReasonIdle'],
  ['lifetime', '#3D3D5C', 'singleSessionReasonLifetime'],
];
const SIGN_INS = '#3040D6';
const OTHER = '#BBBBCC';

type Translate = (key: string, options?: Record<string, unknown>) => string;

const Figure: React.FC<{ label: string; value: number | null; format: Intl.NumberFormat; name: string }> = ({ label, value, format, name }) => (
  <Box variant="container" flex flexDirection="column" mr="lg" mb="lg" style={{ minWidth: 190, flex: '1 1 0' }} data-figure={name} data-value={value ?? ''}>
    <Text variant="sm" color="grey60">{label}</Text>
    <Text fontSize="h2" fontWeight="bold" mt="sm" data-css="single-session-figure">{value === null ? '—' : format.format(value)}</Text>
  </Box>
);

/** Sign-ins (a bar) and endings by reason (a stacked bar) per hour. */
const HourChart: React.FC<{ hours: Hour[]; t: Translate; locale: string; format: Intl.NumberFormat }> = ({ hours, t, locale, format }) => {
  const width = 960;
  const height = 240;
  const left = 44;
  const bottom = 24;
  const top = 8;
  const reasons = useMemo(() => {
    const seen = new Set(hours.flatMap((h) => Object.keys(h.ended)));
    const known = REASONS.filter(([reason]) => seen.has(reason));
    const others = [...seen].filter((reason) => !REASONS.some(([r]) => r === reason)).sort().map((r): [string, string, string] => [r, OTHER, '']);
    return [...known, ...others];
  }, [hours]);
  const ended = (h: Hour) => Object.values(h.ended).reduce((a, b) => a + b, 0);
  const max = Math.max(1, ...hours.map((h) => Math.max(h.signIns, ended(h))));
  const step = niceStep(max / 4);
  const ceiling = Math.ceil(max / step) * step;
  const y = (n: number) => top + (height - top - bottom) * (1 - n / ceiling);
  const slot = (width - left) / hours.length;
  const bar = Math.max(2, slot * 0.36);
  const hourLabel = new Intl.DateTimeFormat(locale, { hour: 'numeric' });
  const label = (reason: string, key: string) => (key ? t(key) : reason);

  return (
    <Box>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={t('singleSessionDashboardPerHour')} data-css="single-session-chart">
        {Array.from({ length: Math.round(ceiling / step) + 1 }, (_, i) => i * step).map((tick) => (
          <g key={tick}>
            <line x1={left} x2={width} y1={y(tick)} y2={y(tick)} stroke="#E6E6EF" />
            <text x={left - 6} y={y(tick) + 4} textAnchor="end" fontSize="11" fill="#6B6B8A">{format.format(tick)}</text>
          </g>
        ))}
        {hours.map((hour, i) => {
          const x = left + i * slot + slot / 2;
          const start = new Date(hour.start);
          const stamp = hourLabel.format(start);
          let stacked = 0;
          return (
            <g key={hour.start} data-hour={hour.start}>
              <rect
                x={x - bar - 1} width={bar} y={y(hour.signIns)} height={y(0) - y(hour.signIns)} fill={SIGN_INS}
                data-series="signIns" data-value={hour.signIns}
              >
                <title>{`${stamp} — ${t('singleSessionDashboardSignInsSeries')}: ${format.format(hour.signIns)}`}</title>
              </rect>
              {reasons.map(([reason, color, key]) => {
                const n = hour.ended[reason] ?? 0;
                if (n === 0) return null;
                const y0 = y(stacked);
                stacked += n;
                return (
                  <rect key={reason} x={x + 1} width={bar} y={y(stacked)} height={y0 - y(stacked)} fill={color} data-series={reason} data-value={n}>
                    <title>{`${stamp} — ${label(reason, key)}: ${format.format(n)}`}</title>
                  </rect>
                );
              })}
              {i % 3 === 0 || i === hours.length - 1
                ? <text x={x} y={height - 6} textAnchor="middle" fontSize="11" fill="#6B6B8A">{stamp}</text>
                : null}
            </g>
          );
        })}
      </svg>
      <Box flex flexDirection="row" flexWrap="wrap" mt="sm" data-css="single-session-legend">
        {[['signIns', SIGN_INS, 'singleSessionDashboardSignInsSeries'] as [string, string, string], ...reasons].map(([reason, color, key]) => (
          <Box key={reason} flex flexDirection="row" alignItems="center" mr="lg" mb="sm">
            <span style={{ display: 'inline-block', width: 12, height: 12, background: color, marginRight: 6, borderRadius: 2 }} />
            <Text variant="sm">{label(reason, key)}</Text>
          </Box>
        ))}
      </Box>
    </Box>
  );
};

/** 1, 2, 5, 10, 20, 50, … : a step the axis labels read well with. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
}

const TopList: React.FC<{ title: string; shares: Share[]; basis: number; t: Translate; name: string }> = ({ title, shares, basis, t, name }) => {
  const percent = new Intl.NumberFormat(useLocale(), { style: 'percent', maximumFractionDigits: 1 });
  return (
    <Box variant="container" mr="lg" mb="lg" style={{ flex: '1 1 0', minWidth: 260 }} data-top={name}>
      <H4>{title}</H4>
      {shares.length === 0 ? <Text>—</Text> : (
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>{title}</TableCell>
              <TableCell style={{ textAlign: 'right' }}>{t('singleSessionDashboardShare')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {shares.map((share) => (
              <TableRow key={String(share.value)} data-value={share.value ?? ''}>
                <TableCell>{share.value ?? t('singleSessionDashboardUnknown')}</TableCell>
                <TableCell style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>{percent.format(basis > 0 ? share.sessions / basis : 0)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
};

const Dashboard: React.FC = () => {
  const { pageName } = useParams();
  const { translateMessage, translateButton } = useTranslation();
  const t: Translate = (key, options) => translateMessage(key, undefined, options);
  const locale = useLocale();
  const format = useMemo(() => new Intl.NumberFormat(locale), [locale]);
  const [data, setData] = useState<Data | null | 'failed'>(null);

  const load = useCallback(() => {
    const api = new ApiClient();
    (pageName ? api.getPage({ pageName }) : api.getDashboard())
      .then((res) => {
        const answer = res.data as Partial<Data> | undefined;
        setData(typeof answer?.allowed === 'boolean' ? answer as Data : 'failed');
      })
      .catch(() => setData('failed'));
  }, [pageName]);
  useEffect(load, [load]);

  if (data === null) return <Loader />;
  if (data === 'failed') return <Box variant="grey"><MessageBox variant="danger" message={t('singleSessionDashboardUnavailable')} /></Box>;
  if (!data.allowed) return <Box variant="grey"><MessageBox variant="info" message={t('singleSessionDashboardForbidden')} /></Box>;
  const { statistics: s } = data;
  const total = (pick: (h: Hour) => number) => (s.hours ? s.hours.reduce((sum, h) => sum + pick(h), 0) : null);
  const hours = s.hours?.length ?? 24;
  return (
    <Box variant="grey" data-css="single-session-dashboard">
      <Box flex flexDirection="row" justifyContent="space-between" alignItems="center" mb="lg">
        <H2 mb="0">{t('singleSessionDashboardTitle')}</H2>
        <Box flex flexDirection="row" alignItems="center">
          <Text variant="sm" mr="default" data-css="single-session-as-of">{t('singleSessionDashboardAsOf')} <When value={data.at} /></Text>
          <Button size="sm" variant="outlined" onClick={load} data-testid="single-session-dashboard-refresh">
            <Icon icon="RefreshCw" />{translateButton('singleSessionRefresh')}
          </Button>
        </Box>
      </Box>
      <Box flex flexDirection="row" flexWrap="wrap">
        <Figure name="activeSessions" label={t('singleSessionDashboardActive')} value={s.activeSessions} format={format} />
        <Figure name="signedInUsers" label={t('singleSessionDashboardUsers')} value={s.signedInUsers} format={format} />
        <Figure name="signIns" label={t('singleSessionDashboardSignIns', { hours })} value={total((h) => h.signIns)} format={format} />
        <Figure
          name="ended" label={t('singleSessionDashboardEnded', { hours })} format={format}
          value={total((h) => Object.values(h.ended).reduce((a, b) => a + b, 0))}
        />
      </Box>
      <Box variant="container" mb="lg">
        <H4>{t('singleSessionDashboardPerHour', { hours })}</H4>
        {s.hours
          ? <HourChart hours={s.hours} t={t} locale={locale} format={format} />
          : <MessageBox variant="info" message={t('singleSessionDashboardNeedsAudit')} data-css="single-session-needs-audit" />}
      </Box>
      <Box flex flexDirection="row" flexWrap="wrap">
        <TopList name="browser" title={t('singleSessionDashboardBrowsers')} shares={s.top.browser} basis={s.shareBasis.sessions} t={t} />
        <TopList name="device" title={t('singleSessionDashboardDevices')} shares={s.top.device} basis={s.shareBasis.sessions} t={t} />
        <TopList name="os" title={t('singleSessionDashboardSystems')} shares={s.top.os} basis={s.shareBasis.sessions} t={t} />
      </Box>
      {s.shareBasis.sampled
        ? <Text variant="sm" color="grey60">{t('singleSessionDashboardSampled', { sessions: format.format(s.shareBasis.sessions) })}</Text>
        : null}
    </Box>
  );
};

export default Dashboard;
