import { Controller, Get, Header, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Viewer } from '../../../common/viewer';
import { CurrentViewer } from '../viewer.decorator';
import { HomePresenter } from './home.presenter';

@ApiExcludeController()
@Controller()
export class HomePageController {
  constructor(private readonly home: HomePresenter) {}

  /** Tahrir's load-balancer check (the service's own are /healthz/live and /healthz/ready). */
  @Get('heartbeat')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  heartbeat() {
    return this.home.heartbeat();
  }

  @Get()
  @Render('home/index')
  index(@CurrentViewer() viewer: Viewer | null) {
    return this.home.present(viewer);
  }
}
