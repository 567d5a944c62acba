/**
 * The Sessions page's list: AdminJS's own list, plus a line saying when its total (and so its page count) is an
 * estimate. Past `custom.exactCountUpTo` sessions the server stops counting and answers the database's estimate;
 * AdminJS's list hands its total to `setTag` (the badge beside the title), which is where this reads it.
 */
import React, { useCallback, useState } from 'react';
import { MessageBox } from '@adminjs/design-system';
import { List, useTranslation, type ActionProps } from 'adminjs';

const SessionsList: React.FC<ActionProps> = (props) => {
  const { action, resource, setTag } = props;
  const { translateMessage } = useTranslation();
  const exactUpTo = Number(action.custom?.exactCountUpTo ?? Infinity);
  const [total, setTotal] = useState<number | null>(null);
  const estimated = total !== null && total > exactUpTo;

  // AdminJS's list only ever passes the total as text.
  const tag = useCallback((text: React.SetStateAction<string>) => {
    const counted = Number(text);
    setTotal(counted);
    setTag?.(counted > exactUpTo ? `≈ ${counted.toLocaleString()}` : String(text));
  }, [setTag, exactUpTo]);

  return (
    <>
      {estimated ? (
        <MessageBox
          mb="lg" variant="info" data-css="single-session-total-estimated"
          message={translateMessage('singleSessionTotalEstimated', resource.id, {
            total: total.toLocaleString(), exactUpTo: exactUpTo.toLocaleString(),
          })}
        />
      ) : null}
      <List {...props} setTag={tag} />
    </>
  );
};

export default SessionsList;
