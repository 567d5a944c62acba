/**
 * A date property (signed in, last seen, expires; the audit trail's "when") on a list or a show page, written the
 * way every page of ours writes dates (When.tsx) instead of AdminJS's fixed `YYYY-MM-DD HH:mm`.
 */
import React from 'react';
import { ValueGroup } from '@adminjs/design-system';
import { useTranslation, type BasePropertyProps } from 'adminjs';
import When from './When.js';

const SessionTime: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const { translateProperty } = useTranslation();
  const when = <When value={record?.params?.[property.path] as string | undefined} />;
  if (where !== 'show') return when;
  return <ValueGroup label={translateProperty(property.label, property.resourceId)}>{when}</ValueGroup>;
};

export default SessionTime;
