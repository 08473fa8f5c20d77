import { Button, Flex } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A signature drawn on screen (pointer events: finger, pen or mouse). `onChange` gets whether
 * anything is drawn; the services take a reference to the stored image (`signatureRef`).
 */
export function SignaturePad({ onChange }: { readonly onChange: (signed: boolean) => void }) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    element.width = element.clientWidth || 300;
    element.height = element.clientHeight || 140;
  }, []);

  const point = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top] as const;
  };
  return (
    <Flex vertical gap="small">
      <canvas
        ref={canvas}
        className="signature-pad"
        role="img"
        aria-label={t('courier.signature')}
        onPointerDown={(event) => {
          const context = event.currentTarget.getContext('2d');
          if (!context) return;
          drawing.current = true;
          context.beginPath();
          context.moveTo(...point(event));
        }}
        onPointerMove={(event) => {
          if (!drawing.current) return;
          const context = event.currentTarget.getContext('2d');
          if (!context) return;
          context.lineWidth = 2;
          context.lineTo(...point(event));
          context.stroke();
          onChange(true);
        }}
        onPointerUp={() => {
          drawing.current = false;
        }}
      />
      <Button
        size="small"
        onClick={() => {
          const element = canvas.current;
          element?.getContext('2d')?.clearRect(0, 0, element.width, element.height);
          onChange(false);
        }}
      >
        {t('courier.clearSignature')}
      </Button>
    </Flex>
  );
}
