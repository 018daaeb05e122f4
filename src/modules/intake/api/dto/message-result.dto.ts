import { ApiProperty } from '@nestjs/swagger';
import type { ProcessResult } from '../../../rules/rules.service';

class MessageAwardDto {
  @ApiProperty() badge_id!: string;
  @ApiProperty() badge_name!: string;
  @ApiProperty() user!: string;
  @ApiProperty({
    description: 'The message that caused the award (an award message for badges of badges)',
  })
  msg_id!: string;
}

class RuleErrorDto {
  @ApiProperty() badge_id!: string;
  @ApiProperty() error!: string;
}

export class MessageResultDto {
  @ApiProperty({ enum: ['processed', 'duplicate'] })
  status!: 'processed' | 'duplicate';
  @ApiProperty({ type: [MessageAwardDto] })
  awards!: MessageAwardDto[];
  @ApiProperty({ type: [RuleErrorDto] })
  rule_errors!: RuleErrorDto[];

  static of(r: ProcessResult): MessageResultDto {
    if (r.status === 'duplicate') return { status: 'duplicate', awards: [], rule_errors: [] };
    return {
      status: 'processed',
      awards: r.awards.map((a) => ({
        badge_id: a.badgeId,
        badge_name: a.badgeName,
        user: a.user,
        msg_id: a.msgId,
      })),
      rule_errors: r.ruleErrors.map((e) => ({ badge_id: e.badgeId, error: e.error })),
    };
  }
}
